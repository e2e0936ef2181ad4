from msknet.governance.diff import diff_text


def test_diff_marks_added_and_removed_lines_with_text_labels():
    diff = diff_text("Purpose\nQuorum: six\nFrequency", "Purpose\nQuorum: seven\nFrequency")

    assert [(line.kind, line.text) for line in diff.lines] == [
        ("same", "Purpose"),
        ("removed", "Quorum: six"),
        ("added", "Quorum: seven"),
        ("same", "Frequency"),
    ]
    assert [line.label for line in diff.lines][1:3] == ["Removed", "Added"]
    assert (diff.added, diff.removed) == (1, 1)


def test_diff_of_identical_versions_has_no_changes():
    diff = diff_text("Purpose\n\nReporting", "Purpose\nReporting\n")

    assert not diff.changed
