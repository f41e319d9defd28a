"""The one recorder of reads: an intermediate made once serves every later producer with the reads it would have
recorded itself, and is made again when what it read changes."""

from __future__ import annotations

from analysis import reads


def test_a_memoised_value_is_made_once_and_each_reader_records_its_reads(tmp_path):
    source = tmp_path / "table.csv"
    source.write_text("a\n1\n")
    made = []

    @reads.memoised(lambda: tmp_path)
    def plan() -> str:
        made.append(1)
        reads.file("table.csv", source)
        reads.computed("plan.step", "tests.test_reads.step")
        return source.read_text()

    with reads.recording() as first:
        assert plan() == "a\n1\n"
    with reads.recording() as second:
        assert plan() == "a\n1\n"
    assert len(made) == 1
    assert second.files == first.files == {"table.csv": source.resolve()}
    assert second.code == first.code == {"plan.step": "tests.test_reads.step"}

    source.write_text("a\n22\n")  # what it read changed: made again
    with reads.recording() as third:
        assert plan() == "a\n22\n"
    assert len(made) == 2 and third.files == first.files

    reads.forget()
    plan()
    assert len(made) == 3
