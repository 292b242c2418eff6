"""The hand-written paraphrase set (bench/data/memory_paraphrases.tsv): (memory, question) pairs."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
PATH = DATA / "memory_paraphrases.tsv"
HELDOUT = DATA / "memory_paraphrases_heldout.tsv"


def load(path: Path = PATH) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        memory, question = line.split("\t")
        pairs.append((memory.strip(), question.strip()))
    return pairs
