"""How well the offline brain understands its own corpus, per intent.

    .venv/bin/python bench/understanding.py              # the table
    .venv/bin/python bench/understanding.py --failures   # and every case read wrongly
    .venv/bin/python bench/understanding.py --write      # also into bench/RESULTS.md ("## Understanding")

The corpus is the intents' own examples (src/personal_assistant/agent/llm/offline/intents/*.py),
each run as typed and in messier forms (leading filler, "pls", an emoji), through the whole brain
(normalization, pending questions, context, clause splitting, intents, confidence) in the
example's time zone and context, checking the intent and every slot (offline/corpus.py). It also
reports how long one reading takes and how many immediate replies (answers and questions, which
need no tool result) fit one GSM-7 segment. This is the team's own corpus: the held-out sets of
issue 11 measure understanding; these figures measure regressions.
"""

from __future__ import annotations

import argparse
import collections
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from personal_assistant.agent.llm.offline import corpus  # noqa: E402
from personal_assistant.agent.llm.offline.brain import interpret  # noqa: E402
from personal_assistant.sms.segments import count_segments  # noqa: E402


def run(show_failures: bool) -> tuple[list[tuple], dict]:
    hand: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    passed: collections.Counter[str] = collections.Counter()
    first: collections.Counter[str] = collections.Counter()
    first_ok: collections.Counter[str] = collections.Counter()
    latencies: list[float] = []
    replies = one_segment = 0
    for intent, example in corpus.all_examples():
        hand[intent.name] += 1
        for i, text in enumerate(corpus.variants(example)):
            started = time.perf_counter()
            why = corpus.check(example, text, owner=intent)
            latencies.append((time.perf_counter() - started) * 1000)
            total[intent.name] += 1
            first[intent.name] += i == 0
            if why is None:
                passed[intent.name] += 1
                first_ok[intent.name] += i == 0
            elif show_failures:
                print(f"  [{intent.name}] {text!r}: {why}")
            action = interpret(corpus.make_context(text, example.tz, example.context))
            if action.kind != "tools" and action.text:
                replies += 1
                info = count_segments(action.text)
                one_segment += info.segments == 1 and info.encoding == "gsm7"
    rows = [(name, hand[name], first_ok[name], first[name], passed[name], total[name]) for name in hand]
    latencies.sort()
    summary = {
        "examples": sum(hand.values()),
        "cases": sum(total.values()),
        "passed": sum(passed.values()),
        "first_passed": sum(first_ok.values()),
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "replies": replies,
        "one_segment": one_segment,
    }
    return rows, summary


# What each fresh set scored the first time it ran, before the fixes it led to (recorded by hand).
FIRST_RUNS = {"FRESH": "60/78 (77%)", "FRESH2": "61/79 (77%)", "FRESH3": "67/80 (84%)"}


def run_fresh(name: str = "FRESH") -> tuple[int, int, list[str]]:
    """A fresh set (bench/fresh_set.py): outcome only (tools, slots, or the kind of reply)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import fresh_set

    cases = getattr(fresh_set, name)
    failures = []
    for text, context, expected in cases:
        tz = "Europe/London" if context == "london" else "America/New_York"
        ctx = corpus.make_context(text, tz, None if context == "london" else context)
        action = interpret(ctx)
        why = None
        if isinstance(expected, tuple):
            kind, word = expected
            if action.kind != kind or (word and word.lower() not in (action.text or "").lower()):
                why = f"{action.kind}: {action.text or [(c.name, c.args) for c in action.tool_calls]}"
        else:
            got = action.tool_calls if action.kind == "tools" else []
            if [c.name for c in got] != [name for name, _ in expected]:
                why = f"{[(c.name, c.args) for c in got] or (action.kind, action.text)}"
            else:
                for (name, slots), actual in zip(expected, got, strict=True):
                    bad = [k for k, v in slots.items() if not corpus._same(v, actual.args.get(k), k, tz)]
                    if bad:
                        why = f"{name}: {', '.join(f'{k}={actual.args.get(k)!r}' for k in bad)}"
                        break
        if why:
            failures.append(f"{text!r} ({context or 'no context'}): {why}")
    return len(cases) - len(failures), len(cases), failures


def table(rows: list[tuple], summary: dict) -> str:
    lines = ["| intent | examples | as typed | all forms | accuracy |", "| --- | --- | --- | --- | --- |"]
    for name, hand, first_ok, first, ok, total in sorted(rows, key=lambda r: (r[4] / r[5], r[0])):
        lines.append(f"| {name} | {hand} | {first_ok}/{first} | {ok}/{total} | {ok / total:.1%} |")
    lines.append(
        f"| **all {len(rows)} intents** | {summary['examples']} | {summary['first_passed']}/{summary['examples']} | "
        f"{summary['passed']}/{summary['cases']} | {summary['passed'] / summary['cases']:.1%} |"
    )
    return "\n".join(lines)


def write(text: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    content = path.read_text("utf-8")
    section = "## Understanding"
    if section in content:
        start = content.index(section)
        nxt = content.find("\n## ", start + len(section))
        content = content[:start] + text.rstrip() + "\n" + (content[nxt:] if nxt != -1 else "")
    else:
        content = content.rstrip() + "\n\n" + text.rstrip() + "\n"
    path.write_text(content, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--failures", action="store_true", help="print every case read wrongly")
    parser.add_argument("--write", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    rows, summary = run(args.failures)
    body = table(rows, summary)
    fresh_ok, fresh_total, fresh_failures = run_fresh()
    fresh2_ok, fresh2_total, fresh2_failures = run_fresh("FRESH2")
    fresh3_ok, fresh3_total, fresh3_failures = run_fresh("FRESH3")
    if args.failures:
        for line in fresh3_failures:
            print("  [fresh3]", line)
        for line in fresh_failures:
            print("  [fresh]", line)
        for line in fresh2_failures:
            print("  [fresh2]", line)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"## Understanding\n\n`bench/understanding.py` ({when}; CPython {platform.python_version()}). The offline "
        f"brain on its own corpus: {summary['examples']} hand-written examples over {len(rows)} intents, each also "
        f"tried with leading filler, a trailing 'pls' and emoji ({summary['cases']} cases), read in the example's "
        f"time zone and context, intent and every slot checked.\n\n{body}\n\n"
        f"- One reading (normalize, context, clauses, intents) p50 {summary['p50_ms']:.2f} ms, "
        f"p95 {summary['p95_ms']:.2f} ms.\n"
        f"- Immediate replies (answers and questions): {summary['one_segment']} of {summary['replies']} "
        f"({summary['one_segment'] / max(1, summary['replies']):.1%}) are one GSM-7 segment; replies composed from "
        "tool results are asserted to be one segment in tests/agent/test_understanding.py.\n"
        "- These are the team's own examples (they guard against regressions); the held-out sets of issue 11 "
        "measure understanding.\n"
        f"- Fresh sets (bench/fresh_set.py: messy texts written after the corpus, each run once before any fix): "
        f"set 1 ({fresh_total} texts) read {FIRST_RUNS['FRESH']} on its first run, set 2 ({fresh2_total} texts) "
        f"{FIRST_RUNS['FRESH2']}, set 3 ({fresh3_total} texts) {FIRST_RUNS['FRESH3']}; the misreadings they "
        f"showed were fixed in general ways, so today they read {fresh_ok}/{fresh_total}, {fresh2_ok}/{fresh2_total} "
        f"and {fresh3_ok}/{fresh3_total} (no longer unseen).\n"
    )
    print(text)
    if args.write:
        write(text)


if __name__ == "__main__":
    main()
