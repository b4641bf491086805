"""Records built without dataclasses or typing behave as the ones they replace."""

from __future__ import annotations

import pickle

import pytest

from kvmwriter.lint.engine import Linter, Report, check_text
from kvmwriter.lint.findings import Edit, Finding, Fix, Severity
from kvmwriter.records import NamedTuple
from kvmwriter.text.message import parse_message


class Span(NamedTuple):
    """A span of a line."""

    line: int
    text: str = ""

    @property
    def shouted(self) -> str:
        return self.text.upper()


def test_named_tuple_takes_fields_defaults_methods_and_doc_from_the_class():
    span = Span(3)
    assert span == (3, "") and span.text == ""
    assert Span._fields == ("line", "text") and Span._field_defaults == {"text": ""}
    assert Span(1, "ab").shouted == "AB" and span._replace(text="x") == (3, "x")
    assert Span.__doc__ == "A span of a line." and Span.__annotations__ == {
        "line": "int",
        "text": "str",
    }
    assert Span.__module__ == __name__ and Span.__qualname__ == "Span"
    assert pickle.loads(pickle.dumps(span)) == span


def test_named_tuple_refuses_what_typing_refuses():
    with pytest.raises(TypeError):

        class Bad(NamedTuple):
            first: int = 0
            second: int

    with pytest.raises(AttributeError):

        class Worse(NamedTuple):
            line: int

            def _replace(self, **changes):
                return self


def test_reports_and_findings_pickle_for_the_review_workers():
    report, _ = check_text(
        Linter.from_config(), "kvm: x86: fixes the thing.\n\nThis patch fixes it.\n", "a"
    )
    assert any(f.fix is not None for f in report.findings)
    again = pickle.loads(pickle.dumps(report))
    assert again == report
    assert [(f.severity, f.message, f.fix) for f in again.findings] == [
        (f.severity, f.message, f.fix) for f in report.findings
    ]


def test_findings_compare_and_sort_by_place_and_rule_only():
    fix = Fix((Edit.on_line(1, 1, "a", "b"),), safe=True)
    first = Finding(1, 5, "b-rule", Severity.ERROR, "one", fix)
    same = Finding(1, 5, "b-rule", Severity.INFO, "other")
    later = Finding(1, 5, "c-rule", Severity.INFO, "x")
    assert first == same and hash(first) == hash(same) and first != later
    assert sorted([later, Finding(2, 1, "a", Severity.INFO, ""), first]) == [
        first,
        later,
        Finding(2, 1, "a", Severity.INFO, ""),
    ]
    assert first < later <= later and later > first >= same
    assert "rule='b-rule'" in repr(first)


def test_message_blocks_and_trailers_compare_by_value():
    text = "KVM: x86: Do it\n\nDo it now.\n\nSigned-off-by: Ada Tester <ada@example.org>\n"
    one, two = parse_message(text), parse_message(text)
    assert one.paragraphs == two.paragraphs and one.trailers == two.trailers
    assert hash(one.trailers[0]) == hash(two.trailers[0])
    assert one.paragraphs[0].blocks[0].text == "Do it now."
    assert one.trailers[0].address == "ada@example.org"
    assert Report("a", "s") == Report("a", "s", [], "")
