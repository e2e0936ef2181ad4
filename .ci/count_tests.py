"""Fail unless every JUnit report ran tests, and print the closing counts."""

import sys
import xml.etree.ElementTree as ET

total_passed = total_failed = total_skipped = 0
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    if tests == 0:
        sys.exit(f"{path}: no tests ran")
    total_passed += tests - failed - skipped
    total_failed += failed
    total_skipped += skipped
print(f"{total_passed} passed, {total_failed} failed, {total_skipped} skipped")
sys.exit(1 if total_failed else 0)
