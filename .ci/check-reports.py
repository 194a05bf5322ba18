#!/usr/bin/env python3
"""Fails when a required module ran no tests, or when a test class was skipped as a whole.

Usage: check-reports.py MODULE [MODULE ...]   (module folders relative to the repository root)
"""
import glob
import sys
import xml.etree.ElementTree as ElementTree


def totals(module):
    tests = skipped = failures = 0
    for report in glob.glob(f"{module}/target/*-reports/TEST-*.xml"):
        suite = ElementTree.parse(report).getroot()
        count = int(suite.get("tests", 0))
        skip = int(suite.get("skipped", 0))
        if count and skip == count:
            print(f"CI: every test of {suite.get('name')} in {module} was skipped")
            failures += 1
        tests += count
        skipped += skip
        failures += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    return tests, skipped, failures


def main(modules):
    ok = True
    all_tests = all_skipped = all_failures = 0
    for module in modules:
        tests, skipped, failures = totals(module)
        print(f"CI: {module}: {tests} tests, {skipped} skipped, {failures} failed or wholly skipped")
        if tests == 0 or failures:
            ok = False
        all_tests, all_skipped, all_failures = all_tests + tests, all_skipped + skipped, all_failures + failures
    print(f"total: {all_tests - all_skipped - all_failures} passed, {all_failures} failed, {all_skipped} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
