"""Break the code on purpose, in a scratch copy, and check a test notices.

Each mutation removes one safeguard that is right today (a loader's network
check, the transaction around the insights import's save, ...). The script
copies the working tree to a scratch directory, applies one mutation at a
time, runs the tests that should hold the safeguard in place and expects
them to FAIL; then it restores the file. The working tree is never touched.

    .venv/bin/python tests/mutations/run_mutations.py            # all
    .venv/bin/python tests/mutations/run_mutations.py meetings   # by name
    .venv/bin/python tests/mutations/run_mutations.py --full     # wider tests

Without --full, each mutation runs the few tests named for it (a minute or
two each); with --full, the role matrix and the app's own tests. It prints
one line per mutation, "caught" or "MISSED", and exits 1 if any was missed or
could not be applied (the code it looks for has moved: update MUTATIONS).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MATRIX = "tests/integration/test_role_matrix.py"
ACROSS_PAGES = "test_page_refuses_another_networks_objects"
ACROSS_API = "test_api_refuses_another_networks_objects"


@dataclass
class Mutation:
    name: str
    path: str
    old: str  # must appear exactly once in the file
    new: str
    tests: list[str]  # pytest arguments that must fail once mutated
    full: list[str] = field(default_factory=list)  # and with --full


def across(kind: str, *rows: str) -> list[str]:
    test = ACROSS_PAGES if kind == "pages" else ACROSS_API
    return [MATRIX, "-k", " or ".join(f"{test}[{row}]" for row in rows)]


MUTATIONS = [
    Mutation(
        "governance-papers", "msknet/governance/views/meetings.py",
        "Paper.objects.filter(item__meeting__group__network=network,\n"
        "                             item__meeting_id=meeting_pk)",
        "Paper.objects.filter(item__meeting_id=meeting_pk)",
        across("pages", "paper-download"),
        [MATRIX, "tests/integration/test_governance_pages.py"],
    ),
    Mutation(
        "governance-meetings", "msknet/governance/queries.py",
        "        Meeting.objects.for_network(network)\n"
        '        .select_related("group", "group__network")\n'
        "        .filter(pk=pk)",
        "        Meeting.objects.all()\n"
        '        .select_related("group", "group__network")\n'
        "        .filter(pk=pk)",
        across("pages", "meeting-detail", "meeting-edit"),
        [MATRIX, "tests/integration/test_governance_pages.py"],
    ),
    Mutation(
        "governance-actions", "msknet/governance/views/common.py",
        "Action.objects.for_network(network)",
        "Action.objects.all()",
        across("pages", "action-status"),
        [MATRIX, "tests/integration/test_governance_pages.py"],
    ),
    Mutation(
        "events-pages", "msknet/community/views/events.py",
        'network=network, pk=kwargs.pop("pk"),',
        'pk=kwargs.pop("pk"),',
        across("pages", "event-detail", "event-edit"),
        [MATRIX, "tests/integration/test_community_events.py"],
    ),
    Mutation(
        "events-api", "msknet/api/community.py",
        'Event.objects.select_related("network"), network=network, pk=kwargs["id"]',
        'Event.objects.select_related("network"), pk=kwargs["id"]',
        across("api", "event-detail", "event-register"),
        [MATRIX, "tests/integration/test_community_api.py"],
    ),
    Mutation(
        "resources", "msknet/community/views/resources.py",
        'network=network, pk=kwargs.pop("pk"),',
        'pk=kwargs.pop("pk"),',
        across("pages", "resource-detail", "resource-edit"),
        [MATRIX, "tests/integration/test_community_resources.py"],
    ),
    Mutation(
        "improvement-pages", "msknet/improvement/views/common.py",
        'network=network, pk=kwargs.pop("pk"))',
        'pk=kwargs.pop("pk"))',
        across("pages", "project-detail", "project-edit"),
        [MATRIX, "tests/integration/test_improvement_pages.py"],
    ),
    Mutation(
        "discussion-posts", "msknet/discussions/views.py",
        '        thread__network=network,\n        pk=kwargs.pop("pk"),',
        '        pk=kwargs.pop("pk"),',
        across("pages", "discussion-post-hide", "discussion-post-edit"),
        [MATRIX, "tests/integration/test_discussions.py"],
    ),
    Mutation(
        "insights-local-indicators", "msknet/insights/views.py",
        "Indicator.objects.filter(Q(network__isnull=True) | Q(network=network)),",
        "Indicator.objects.all(),",
        across("pages", "insights-indicator-edit"),
        [MATRIX, "tests/integration/test_insights_indicator_edit.py"],
    ),
    Mutation(
        "insights-import-transaction", "msknet/insights/actions.py",
        "        with transaction.atomic():\n"
        "            if not unchanged_since(plan, writes):",
        "        if True:  # mutation: no transaction\n"
        "            if not unchanged_since(plan, writes):",
        ["tests/unit/insights/test_import_saving.py"],
        ["tests/unit/insights", "tests/integration/test_insights_import_page.py"],
    ),
    # Beyond the list: the rules its other bullets asked to hold.
    Mutation(
        "locked-thread-edits", "msknet/members/permissions.py",
        "        and post.thread.locked_at is None\n",
        "",
        ["tests/integration/test_discussions_locked.py"],
        ["tests/unit/discussions", "tests/integration/test_discussions_locked.py"],
    ),
    Mutation(
        "spc-run-one-long", "msknet/analytics/spc/_core.py",
        "    k = options.run_length\n",
        "    k = options.run_length + 1\n",
        ["tests/analytics/test_spc.py", "-k", "run_rule"],
        ["tests/analytics"],
    ),
    Mutation(
        "spc-run-one-short", "msknet/analytics/spc/_core.py",
        "    k = options.run_length\n",
        "    k = options.run_length - 1\n",
        ["tests/analytics/test_spc.py", "-k", "run_rule"],
        ["tests/analytics"],
    ),
]


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def copy_tree(scratch: Path) -> Path:
    tree = scratch / "tree"
    shutil.copytree(ROOT, tree, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "var", "__pycache__", "*.sqlite3"))
    return tree


def run_pytest(tree: Path, args: list[str]) -> int:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the copy, not the checkout
    command = [str(ROOT / ".venv/bin/pytest"), "-p", "no:xdist", "-q", "-x",
               "--tb=line", "-m", "not browser and not server", *args]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True,
                            text=True, check=False)
    tail = (result.stdout + result.stderr).strip().splitlines()[-1:]
    say(f"    pytest exit {result.returncode}: {' '.join(tail)}")
    return result.returncode


def check_copy_is_imported(tree: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    found = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", "import msknet; print(msknet.__file__)"],
        cwd=tree, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    if not found.startswith(str(tree)):
        sys.exit(f"msknet is imported from {found}, not the scratch copy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--full", action="store_true", help="run the wider tests")
    parser.add_argument("--baseline", action="store_true",
                        help="first check the chosen tests pass unmutated")
    options = parser.parse_args()
    chosen = [m for m in MUTATIONS if not options.names or m.name in options.names]
    missed = []
    with tempfile.TemporaryDirectory(prefix="msknet-mutations-") as scratch:
        tree = copy_tree(Path(scratch))
        check_copy_is_imported(tree)
        for mutation in chosen:
            tests = (mutation.full or mutation.tests) if options.full else mutation.tests
            target = tree / mutation.path
            original = target.read_text()
            if original.count(mutation.old) != 1:
                say(f"CANNOT APPLY {mutation.name}: {mutation.path} no longer has "
                      "the code it changes")
                missed.append(mutation.name)
                continue
            if options.baseline:
                say(f"baseline for {mutation.name}")
                if run_pytest(tree, tests) != 0:
                    say(f"BASELINE FAILS {mutation.name}")
                    missed.append(mutation.name)
                    continue
            say(f"mutating {mutation.name} ({mutation.path})")
            target.write_text(original.replace(mutation.old, mutation.new))
            try:
                code = run_pytest(tree, tests)
            finally:
                target.write_text(original)
            caught = code == 1  # tests ran and failed; not a usage or import error
            say(f"{'caught' if caught else 'MISSED'} {mutation.name}")
            if not caught:
                missed.append(mutation.name)
    if missed:
        say("Not caught: " + ", ".join(missed))
        return 1
    say(f"All {len(chosen)} mutations caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
