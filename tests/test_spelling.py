"""The offline spelling rule: codespell's dictionary over prose only."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.spelling import corrections, find_misspellings, load_dictionary, match_case
from kvmwriter.text.message import parse_message

IGNORE = load_profile().spelling.ignore


def found(text: str, ignore=IGNORE) -> list[tuple[int, int, str, tuple[str, ...]]]:
    return [
        (f.line, f.column, f.word, f.suggestions)
        for f in find_misspellings(parse_message(text), ignore)
    ]


def test_spelling_flags_misspelled_word_at_its_line_and_column():
    text = "KVM: x86: Fix teh emulation of RDPID\n\nThe instruction is emulated\nseperately now.\n"
    assert found(text) == [(1, 15, "teh", ("the",)), (4, 1, "seperately", ("separately",))]


def test_spelling_columns_count_from_the_patch_tag_and_list_markers():
    text = (
        "[PATCH v2 1/3] KVM: x86: Fix teh bug\n\n- Fix seperately the item\n  continued teh line.\n"
    )
    assert [(line, column, word) for line, column, word, _ in found(text)] == [
        (1, 30, "teh"),
        (3, 7, "seperately"),
        (4, 13, "teh"),
    ]


def test_spelling_suggestion_keeps_the_word_case():
    assert found("KVM: x86: Teh fix\n") == [(1, 11, "Teh", ("The",))]
    assert match_case("Seperate", "separate") == "Separate"


def test_spelling_lists_every_codespell_alternative():
    ((_, _, word, suggestions),) = found("KVM: x86: Fix it\n\nThe abot flag.\n")
    assert word == "abot" and suggestions[:2] == ("about", "abort")


def test_spelling_reason_in_codespell_entry_is_not_a_suggestion():
    assert corrections("class, disabled because of name clash in c++") == ("class",)
    assert corrections("about, abort, a bot,") == ("about", "abort", "a bot")
    assert corrections("the") == ("the",)


@pytest.mark.parametrize(
    "line",
    [
        "Call kvm_teh_update() first.",  # identifier and call
        "Read MSR_IA32_TEH_CTRL on entry.",  # MSR name
        "The TEH register is reset.",  # register / acronym
        "Set the tehBits field.",  # CamelCase
        "See https://example.org/teh/seperately for details.",  # URL
        'Quote "teh seperately" from the log.',  # quoted text
        "The 'teh' string is printed.",  # single-quoted text
        "Use `teh` in the command.",  # backticks
        "Write vcpu->teh and kvm::teh.",  # member access
        "Commit 1234abcdef99 added it.",  # SHA
    ],
)
def test_spelling_never_flags_code_registers_shas_urls_or_quotes(line):
    assert found(f"KVM: x86: Fix it\n\n{line}\n") == []


def test_spelling_skips_indented_code_logs_and_trailers():
    text = (
        "KVM: x86: Fix it\n\n"
        "The fix is below.\n\n"
        "    teh = seperately;\n\n"
        "  WARNING: CPU: 0 PID: 1 at teh.c:12 seperately+0x10/0x20\n\n"
        "Reported-by: Teh Seperately <teh@example.org>\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n"
    )
    assert found(text) == []


def test_spelling_checks_only_the_subject_summary_not_its_prefix():
    assert found("KVM: teh: Fix the thing\n") == []


def test_spelling_reads_prose_after_a_possessive_call():
    assert found("KVM: x86: Fix it\n\nThe foo()'s value is used seperately, isn't it.\n") == [
        (3, 27, "seperately", ("separately",))
    ]


def test_spelling_skips_contractions_and_elisions():
    assert (
        found("KVM: x86: Fix it\n\nIt wasn't visited.  Ten percent of nothin' is nothin'.\n") == []
    )


def test_spelling_reads_the_kernel_list_beside_codespell():
    assert found("KVM: x86: Fix it\n\nThe hypervisior traps.\n") == [
        (3, 5, "hypervisior", ("hypervisor",))
    ]


def test_spelling_profile_ignore_list_silences_accepted_kernel_spellings():
    text = "KVM: SVM: Reenable the fastpath\n\nRe-enable or reenable it.\n"
    assert found(text, ignore=[]) != []
    assert found(text) == []


def test_a_sharded_table_decodes_shards_ahead_of_their_first_lookup():
    from kvmwriter.lint.cache import SHARDS, ShardedTable, shard_of, split_into_shards

    words = {f"word{n}": f"right{n}" for n in range(5000)}
    table = ShardedTable(split_into_shards(words))
    assert table.decoded == 0
    table.decode(0, 10)
    assert table.decoded == 10
    table.decode(SHARDS - 2, SHARDS + 50)  # Past the end: stops at the last shard.
    assert table.decoded == 12
    table.decode()
    assert table.decoded == SHARDS
    assert table.get("word4321") == "right4321" and table.get("nosuch") is None
    assert shard_of("word4321") < SHARDS
    empty = ShardedTable([])
    empty.decode()  # Nothing to decode: no error.
    assert empty.decoded == 0 and empty.get("word1", "x") == "x"


def test_spelling_dictionary_loads_once_as_a_plain_dict():
    table = load_dictionary()
    assert table is load_dictionary()
    assert table["teh"] == "the" and len(table) > 60000


def test_check_reports_spelling_with_an_unsafe_word_fix(cli, tmp_path):
    path = tmp_path / "msg"
    path.write_text("KVM: x86: Fix teh emulation of RDPID\n\nBody text.\n")
    result = cli("check", "--format", "json", "--select", "spelling", str(path))
    assert result.returncode == 0, result.stderr
    (finding,) = json.loads(result.stdout)["reports"][0]["findings"]
    assert finding == {
        "rule": "spelling",
        "severity": "warning",
        "line": 1,
        "column": 15,
        "message": "'teh' is misspelled; use 'the'",
        "fix": {
            "safe": False,
            "description": "write 'the'",
            "edits": [
                {"line": 1, "column": 15, "end_line": 1, "end_column": 18, "replacement": "the"}
            ],
        },
    }
    failing = cli("check", "--select", "spelling", "--fail-on", "warning", str(path))
    assert failing.returncode == 1


def test_check_config_extends_the_spelling_ignore_list(cli, tmp_path):
    message = tmp_path / "msg"
    message.write_text("KVM: x86: Fix teh emulation\n")
    config = tmp_path / "kvmwriter.toml"
    config.write_text('[profile-data.spelling]\nextra_ignore = ["teh"]\n')
    result = cli("check", "--select", "spelling", "--config", str(config), str(message))
    assert result.returncode == 0 and "spelling" not in result.stdout


def _rate(records):
    commits = 0
    words: Counter[str] = Counter()
    for record in records:
        message = parse_message(record["subject"] + "\n\n" + (record.get("body") or ""))
        hits = list(find_misspellings(message, IGNORE))
        commits += bool(hits)
        words.update(hit.word.lower() for hit in hits)
    return commits / len(records), words


# Profile ignore words were measured false alarms; none may come back.
_FALSE_ALARMS = {
    "reenable",
    "reenabled",
    "preemptable",
    "advertize",
    "mis",
    "wasn",
    "couldn",
    "nothin",
}


def test_spelling_corpus_rate_is_typos_only(corpus_records):
    rate, words = _rate(corpus_records)
    # Measured: 5.9% of the 4,411 messages have a finding, all reviewed as
    # real typos ("inadvertantly", "sychronization"); real typos, not false
    # alarms, are what the rate counts, so bound it near the measured value.
    assert rate <= 0.065, words.most_common(20)
    assert not _FALSE_ALARMS & set(words)


def test_spelling_table_decodes_only_the_shards_a_message_needs():
    from kvmwriter.lint.spelling import SHARDS, spelling_table

    spelling_table.cache_clear()
    table = spelling_table()
    assert found("KVM: x86: Fix teh emulation\n\nDrop the stale check.\n") != []
    assert 0 < table.decoded < SHARDS // 4


def spelling_findings(text: str) -> list:
    from kvmwriter.lint.engine import Linter

    linter = Linter.from_config(select=("spelling",))
    return linter.check(parse_message(text))


def test_spelling_lists_twenty_misspellings_then_counts_the_rest():
    text = "KVM: x86: Fix it\n\n" + "Teh flag.\n" * 30
    findings = spelling_findings(text)
    assert len(findings) == 21
    assert all("'Teh' is misspelled" in f.message for f in findings[:20])
    more = findings[20]
    assert (more.line, more.column, more.fix) == (23, 1, None)
    assert more.message == "10 more misspellings from here on, not listed one by one"


def test_spelling_under_the_cap_lists_every_misspelling():
    text = "KVM: x86: Fix it\n\n" + "Teh flag.\n" * 20
    findings = spelling_findings(text)
    assert len(findings) == 20 and all(f.fix is not None for f in findings)


def test_spelling_on_a_long_line_of_typos_reports_a_handful_of_findings():
    import time

    text = "KVM: x86: Fix it\n\n" + "teh `x` " * 12_500 + "\n"
    start = time.perf_counter()
    findings = spelling_findings(text)
    assert time.perf_counter() - start < 2.0
    assert len(findings) == 21 and findings[-1].message.startswith("12480 more misspellings")


def test_spelling_remembers_clean_words_and_still_finds_typos_later():
    from kvmwriter.lint.spelling import MAX_CLEAN_WORDS, spelling_table

    table = spelling_table()
    assert found("KVM: x86: Drop the stale check\n\nDrop the stale check.\n") == []
    assert "stale" in table.clean_words and "teh" not in table.clean_words
    assert found("KVM: x86: Drop the stale check\n\nDrop teh stale check.\n") != []
    assert "teh" not in table.clean_words
    table.clean_words.update(f"word{n}" for n in range(MAX_CLEAN_WORDS + 1))
    assert found("KVM: x86: Fix teh emulation\n\nDrop the check.\n") != []
    assert len(table.clean_words) < MAX_CLEAN_WORDS
