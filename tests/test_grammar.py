"""Grammar through language-tool-python's real client and a real local server."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ltserver import LTServer, dead_url

from kvmwriter.lint.grammar import (
    PUBLIC_API,
    STATUS_CANCELLED,
    STATUS_NOT_ANSWERING,
    GrammarChecker,
    GrammarConfigError,
    local_languagetool_dir,
    resolve_settings,
)
from kvmwriter.lint.profile import load_profile
from kvmwriter.text.message import parse_message
from kvmwriter.text.prose import PLACEHOLDER, mask_spans, prose_texts, token_kind

PROFILE = load_profile()

MESSAGE = (
    "KVM: x86: Fix a errors in kvm_mmu_zap_all()\n"
    "\n"
    "The vCPU could of run with vcpu->arch.efer stale, see commit\n"
    '1234abcdef01 ("KVM: x86: could of") and https://lore.kernel.org/could-of.\n'
    "\n"
    "    could of = MSR_IA32_EFER;\n"
    "\n"
    "Signed-off-by: Ada Tester <ada@example.org>\n"
)


@pytest.fixture
def lt_server():
    """A LanguageTool look-alike on 127.0.0.1 (tests/ltserver.py)."""
    server = LTServer().start()
    yield server
    server.stop()


@pytest.fixture
def lt_server_factory():
    """Start look-alikes in a given mode (slow, slow-languages, error)."""
    servers: list[LTServer] = []

    def make(mode: str = "ok", delay: float = 3.0) -> LTServer:
        server = LTServer(mode, delay).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def checker_for(url: str, timeout: float = 5.0, statuses: list | None = None) -> GrammarChecker:
    settings_ = resolve_settings({"timeout": timeout}, PROFILE, server=url)
    return GrammarChecker(settings_, on_status=None if statuses is None else statuses.append)


# -- masking and offsets ------------------------------------------------------


@pytest.mark.parametrize(
    "token,kind",
    [
        ("kvm_mmu_zap", "code"),
        ("vCPU", "code"),
        ("GuestMode", "code"),
        ("X86_FEATURE_LA57", "code"),
        ("x86", "code"),
        ("vcpu->arch", "code"),
        ("foo::bar", "code"),
        ("mmu.c", "code"),
        ("-EINVAL", "code"),
        ("--flag", "code"),
        ("MSR", "acronym"),
        ("CPUs", "acronym"),
        ("zap", "word"),
        ("Zapping", "word"),
        ("e.g", "word"),
        ("i.e", "word"),
        ("42", "word"),
        ("use-after-free", "word"),
    ],
)
def test_token_kind_tells_code_from_acronyms_and_words(token, kind):
    assert token_kind(token) == kind


def test_mask_hides_calls_shas_urls_quotes_and_identifiers():
    text = (
        "Call foo(vcpu) and bar() per 1234abcdef01 at https://x.org/a_b. "
        "Say \"as is\" or 'this' with `code`, #GP, %rax, 0xfee00000 and KVM_RUN."
    )
    masked = [text[s:e] for s, e in mask_spans(text)]
    assert masked == [
        "foo(vcpu)",
        "bar()",
        "1234abcdef01",
        "https://x.org/a_b",
        '"as is"',
        "'this'",
        "`code`",
        "#GP",
        "%rax",
        "0xfee00000",
        "KVM_RUN",
    ]


def test_prose_texts_send_only_prose_with_placeholders():
    texts = [p.text for p in prose_texts(parse_message(MESSAGE))]
    assert texts == [
        f"Fix a errors in {PLACEHOLDER}",
        (
            f"The {PLACEHOLDER} could of run with {PLACEHOLDER} stale, see commit\n"
            f"{PLACEHOLDER} ({PLACEHOLDER}) and {PLACEHOLDER}."
        ),
    ]


def test_locate_maps_offsets_to_message_line_and_column():
    message = parse_message(MESSAGE)
    subject, body = prose_texts(message)
    assert subject.locate(subject.text.index("a errors")) == (1, 15)
    assert body.locate(body.text.index("could of")) == (3, 10)
    assert body.locate(body.text.index("stale")) == (3, 44)
    assert body.locate(body.text.index("and")) == (4, 37)


_WORDS = st.sampled_from(
    [
        "the",
        "vCPU",
        "kvm_zap()",
        "x86",
        "MSR",
        "could",
        "of",
        '"quoted',
        'text"',
        "0x10",
        "1234abcdef01",
        "https://a.org/b",
        "é",
        "🙂",
        "a",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=4))
def test_every_unmasked_character_maps_back_to_the_same_character(lines):
    message = parse_message("KVM: x86: Fix it\n\n" + "\n".join(lines) + "\n")
    for prose in prose_texts(message):
        for start, end, _unit, masked in prose.pieces:
            if masked:
                continue
            for offset in range(start, end):
                line, column = prose.locate(offset)
                if prose.text[offset] != "\n":
                    assert message.line(line)[column - 1] == prose.text[offset]


def test_masking_leaves_no_identifier_in_corpus_prose(corpus_records):
    leaks = []
    for record in corpus_records:
        message = parse_message(record["subject"] + "\n\n" + (record.get("body") or ""))
        for prose in prose_texts(message):
            for word in prose.text.split():
                word = word.strip(".,;:!?()[]{}")
                if "_" in word or "->" in word or "::" in word or word.endswith("()"):
                    leaks.append(word)
    assert leaks == [], leaks[:30]


# -- settings -----------------------------------------------------------------


@pytest.fixture
def no_local_languagetool(monkeypatch, tmp_path):
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    return tmp_path / "ltp"


def test_default_mode_is_off_with_hint_when_languagetool_is_not_downloaded(no_local_languagetool):
    settings_ = resolve_settings({}, PROFILE)
    assert settings_.mode == "off"
    assert "kvmwriter grammar --download" in settings_.hint
    assert not no_local_languagetool.exists()  # looking created nothing


def test_default_mode_is_local_when_languagetool_is_downloaded(no_local_languagetool):
    install = no_local_languagetool / "LanguageTool-6.8"
    install.mkdir(parents=True)
    (install / "languagetool-server.jar").write_bytes(b"")
    assert local_languagetool_dir() == install
    settings_ = resolve_settings({}, PROFILE)
    assert settings_.mode == "local"
    assert settings_.local_version == "6.8"


def test_public_api_is_used_only_when_named(no_local_languagetool):
    assert resolve_settings({}, PROFILE).server is None
    assert resolve_settings({"server": "lt.example.org:8081"}, PROFILE).server == (
        "http://lt.example.org:8081"
    )
    assert resolve_settings({"mode": "public"}, PROFILE).server == PUBLIC_API
    named = resolve_settings({}, PROFILE, server="https://api.languagetool.org/v2/")
    assert (named.mode, named.server) == ("public", PUBLIC_API)


def test_local_mode_without_download_refuses_with_the_download_command(no_local_languagetool):
    settings_ = resolve_settings({"mode": "local"}, PROFILE)
    checker = GrammarChecker(settings_)
    result = checker.check_message(parse_message(MESSAGE))
    assert result.issues == []
    assert "kvmwriter grammar --download" in result.status
    assert not no_local_languagetool.exists()


@pytest.mark.parametrize(
    "section,error",
    [
        ({"mode": "cloud"}, "mode must be one of"),
        ({"mode": "server"}, "needs server"),
        ({"timeout": 0}, "timeout must be a positive"),
        ({"timout": 5}, "unknown key 'timout'"),
    ],
)
def test_bad_grammar_section_is_a_config_error(section, error):
    with pytest.raises(GrammarConfigError, match=error):
        resolve_settings(section, PROFILE)


# -- the real client against a real server -----------------------------------


def test_checker_places_server_matches_at_message_line_and_column(lt_server):
    result = checker_for(lt_server.url).check_message(parse_message(MESSAGE))
    assert result.status is None
    assert [(i.line, i.column, i.length, i.rule_id) for i in result.issues] == [
        (1, 15, 8, "A_PLURAL"),
        (3, 10, 8, "COULD_OF"),
    ]
    assert result.issues[1].replacements == ("could have",)


def test_checker_sends_masked_prose_and_the_profile_disabled_rules(lt_server):
    checker_for(lt_server.url).check_message(parse_message(MESSAGE))
    sent = "\n".join(lt_server.texts)
    for secret in (
        "kvm_mmu_zap_all",
        "vcpu->arch",
        "1234abcdef01",
        "lore.kernel.org",
        "MSR_IA32_EFER",
        "Signed-off-by",
        "ada@example.org",
        "KVM: x86: could",
    ):
        assert secret not in sent
    request = lt_server.requests[0]
    assert request["language"] == "en-US"
    assert "MORFOLOGIK_RULE_EN_US" in request["disabledRules"].split(",")
    assert "TYPOS" in request["disabledCategories"].split(",")


def test_checker_drops_matches_on_placeholders_and_articles_before_them(lt_server):
    text = "KVM: x86: Fix it\n\nSee an MSR_EFER write and an x86 host.\n"
    result = checker_for(lt_server.url).check_message(parse_message(text))
    assert [i.rule_id for i in result.issues] == []
    assert any("an Dummy" in sent for sent in lt_server.texts)


def test_checker_offsets_stay_exact_after_astral_characters(lt_server):
    text = "KVM: x86: Fix it\n\nThe 🙂 vCPU could of run.\n"
    (issue,) = checker_for(lt_server.url).check_message(parse_message(text)).issues
    assert (issue.line, issue.column) == (3, 12)


def test_checker_caches_per_paragraph_and_resends_only_edited_ones(lt_server):
    checker = checker_for(lt_server.url)
    first = "KVM: x86: Fix it\n\nThe first could of paragraph.\n\nThe second one.\n"
    checker.check_message(parse_message(first))
    assert len(lt_server.requests) == 3
    again = checker.check_message(parse_message(first))
    assert len(lt_server.requests) == 3 and len(again.issues) == 1
    edited = first.replace("second one", "second one is are")
    result = checker.check_message(parse_message(edited))
    assert lt_server.texts[3:] == ["The second one is are."]
    assert [i.rule_id for i in result.issues] == ["COULD_OF", "BE_BE"]


def test_slow_server_turns_into_a_status_within_the_timeout(lt_server_factory):
    server = lt_server_factory("slow", delay=5)
    statuses: list[str] = []
    checker = checker_for(server.url, timeout=0.5, statuses=statuses)
    started = time.monotonic()
    result = checker.check_message(parse_message(MESSAGE))
    assert time.monotonic() - started < 2.5
    assert (result.issues, result.status) == ([], STATUS_NOT_ANSWERING)
    # The next call answers at once instead of waiting again.
    started = time.monotonic()
    assert checker.check_message(parse_message(MESSAGE)).status == STATUS_NOT_ANSWERING
    assert time.monotonic() - started < 0.2
    assert statuses == [STATUS_NOT_ANSWERING]


def test_slow_language_list_at_startup_turns_into_a_status(lt_server_factory):
    server = lt_server_factory("slow-languages", delay=5)
    started = time.monotonic()
    result = checker_for(server.url, timeout=0.5).check_message(parse_message(MESSAGE))
    assert time.monotonic() - started < 2.5
    assert result.status == STATUS_NOT_ANSWERING


def test_dead_server_turns_into_a_status_not_an_error():
    result = checker_for(dead_url(), timeout=2).check_message(parse_message(MESSAGE))
    assert (result.issues, result.status) == ([], STATUS_NOT_ANSWERING)


def test_server_error_turns_into_a_one_line_status(lt_server_factory):
    server = lt_server_factory("error")
    result = checker_for(server.url).check_message(parse_message(MESSAGE))
    assert result.issues == []
    assert result.status.startswith("grammar: LanguageTool failed")
    assert "\n" not in result.status


def test_cancel_returns_promptly_and_late_answers_fill_the_cache(lt_server_factory):
    server = lt_server_factory("slow", delay=1.0)
    checker = checker_for(server.url, timeout=10)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    result = checker.check_message(parse_message("KVM: x86: Fix a errors\n"), cancel=cancel)
    assert time.monotonic() - started < 0.8
    assert result.status == STATUS_CANCELLED
    deadline = time.monotonic() + 5
    while not checker.cached("Fix a errors") and time.monotonic() < deadline:
        time.sleep(0.05)
    server.mode = "ok"
    assert [
        i.rule_id for i in checker.check_message(parse_message("KVM: x86: Fix a errors\n")).issues
    ] == ["A_PLURAL"]


@pytest.mark.skipif(
    not os.environ.get("KVMWRITER_LT_SERVER"),
    reason="set KVMWRITER_LT_SERVER=http://host:port to test a real LanguageTool",
)
def test_real_languagetool_finds_a_planted_error():
    checker = checker_for(os.environ["KVMWRITER_LT_SERVER"], timeout=30)
    text = (
        "KVM: x86: Zap the SPTEs\n\nThe vCPU could of been running when "
        "kvm_mmu_zap_all() is called.\n"
    )
    result = checker.check_message(parse_message(text))
    assert result.status is None
    assert any(issue.line == 3 and issue.column == 15 for issue in result.issues), result


# -- the CLI ------------------------------------------------------------------


@pytest.fixture
def isolated(tmp_path):
    """Environment with no local LanguageTool and no user config."""
    return {
        "LTP_PATH": str(tmp_path / "ltp"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "HOME": str(tmp_path / "home"),
    }


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def test_check_grammar_server_reports_the_planted_error(cli, tmp_path, lt_server, isolated):
    message = write(tmp_path / "msg", MESSAGE)
    result = cli(
        "check",
        "--format",
        "json",
        "--select",
        "grammar",
        "--grammar-server",
        lt_server.url,
        message,
        env=isolated,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["reports"][0]["findings"]
    assert [(f["line"], f["column"], f["rule"]) for f in findings] == [
        (1, 15, "grammar"),
        (3, 10, "grammar"),
    ]
    (edit,) = findings[1]["fix"]["edits"]
    assert (edit["line"], edit["column"], edit["end_column"], edit["replacement"]) == (
        3,
        10,
        18,
        "could have",
    )
    assert findings[1]["fix"]["safe"] is False
    assert "[COULD_OF]" in findings[1]["message"]
    assert result.stderr == ""


def test_check_grammar_match_across_lines_has_no_line_fix(cli, tmp_path, lt_server, isolated):
    message = write(tmp_path / "msg", "KVM: x86: Fix it\n\nThe vCPU may run\nwith a stale EFER.\n")
    result = cli(
        "check",
        "--format",
        "json",
        "--select",
        "grammar",
        "--grammar-server",
        lt_server.url,
        message,
        env=isolated,
        cwd=tmp_path,
    )
    (finding,) = json.loads(result.stdout)["reports"][0]["findings"]
    assert (finding["line"], finding["column"]) == (3, 14)
    assert "[LINE_SPANNING]" in finding["message"] and "fix" not in finding


def test_check_grammar_uses_the_configured_server(cli, tmp_path, lt_server, isolated):
    message = write(tmp_path / "msg", MESSAGE)
    config = write(
        tmp_path / "kvmwriter.toml",
        f'[grammar]\nmode = "server"\nserver = "{lt_server.url}"\ntimeout = 3\n',
    )
    plain = cli("check", "--config", config, message, env=isolated, cwd=tmp_path)
    assert "[grammar]" not in plain.stdout and lt_server.requests == []
    result = cli("check", "--grammar", "--config", config, message, env=isolated, cwd=tmp_path)
    assert "warning [grammar]" in result.stdout, result.stderr
    assert result.stderr == ""
    assert len(lt_server.requests) == 2


def test_check_grammar_dead_server_prints_one_status_and_still_lints(cli, tmp_path, isolated):
    first = write(tmp_path / "one", "KVM: x86: Fix teh bug\n\nBody here.\n")
    second = write(tmp_path / "two", "KVM: x86: Fix a bug\n\nOther body.\n")
    result = cli(
        "check",
        "--select",
        "text",
        "--grammar-server",
        dead_url(),
        first,
        second,
        env=isolated,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stderr == "kvmwriter: grammar: server not answering\n"
    assert "[spelling]" in result.stdout and "Traceback" not in result.stderr


def test_check_grammar_off_prints_the_hint_once(cli, tmp_path, isolated):
    first = write(tmp_path / "one", "KVM: x86: Fix a bug\n")
    second = write(tmp_path / "two", "KVM: x86: Fix b bug\n")
    result = cli(
        "check",
        "--grammar",
        "--select",
        "spelling,grammar",
        first,
        second,
        env=isolated,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("kvmwriter: grammar: off (LanguageTool is not downloaded")
    assert "kvmwriter grammar --download" in result.stderr
    quiet = cli("check", first, env=isolated, cwd=tmp_path)
    assert quiet.stderr == ""


def test_check_grammar_outside_select_says_it_did_not_run(cli, tmp_path, lt_server, isolated):
    message = write(tmp_path / "msg", "KVM: x86: Fix a errors\n")
    result = cli(
        "check",
        "--select",
        "spelling",
        "--grammar-server",
        lt_server.url,
        message,
        env=isolated,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stderr.startswith("kvmwriter: grammar: not run (add 'grammar' to --select")
    assert lt_server.requests == []


def test_check_grammar_local_mode_refuses_to_download(cli, tmp_path, isolated):
    message = write(tmp_path / "msg", "KVM: x86: Fix a bug\n")
    config = write(tmp_path / "kvmwriter.toml", '[grammar]\nmode = "local"\n')
    result = cli(
        "check",
        "--grammar",
        "--select",
        "grammar",
        "--config",
        config,
        message,
        env=isolated,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert "run 'kvmwriter grammar --download' first" in result.stderr
    assert not Path(isolated["LTP_PATH"]).exists()


def test_check_bad_grammar_mode_is_a_usage_error(cli, tmp_path, isolated):
    message = write(tmp_path / "msg", "KVM: x86: Fix a bug\n")
    config = write(tmp_path / "kvmwriter.toml", '[grammar]\nmode = "cloud"\n')
    result = cli("check", "--grammar", "--config", config, message, env=isolated, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("kvmwriter: [grammar] mode must be one of")


def test_check_does_not_import_language_tool_python(cli, tmp_path, isolated):
    message = write(tmp_path / "msg", "KVM: x86: Fix a bug\n")
    env = dict(isolated, PYTHONPROFILEIMPORTTIME="1")
    result = cli("check", message, env=env, cwd=tmp_path)
    assert "kvmwriter.lint.engine" in result.stderr
    assert "language_tool_python" not in result.stderr


def test_grammar_command_refuses_to_download_without_agreement(cli, tmp_path, isolated):
    result = cli("grammar", "--download", input="", env=isolated, cwd=tmp_path)
    assert result.returncode == 2
    assert "not downloading without agreement" in result.stderr
    assert not Path(isolated["LTP_PATH"]).exists()


def test_grammar_command_shows_the_configured_mode(cli, tmp_path, isolated):
    config = write(
        tmp_path / "kvmwriter.toml", '[grammar]\nmode = "server"\nserver = "127.0.0.1:8081/v2/"\n'
    )
    result = cli("grammar", "--config", config, env=isolated, cwd=tmp_path)
    assert result.returncode == 0
    assert "mode: server\nserver: http://127.0.0.1:8081\n" in result.stdout
