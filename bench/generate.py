"""Write a synthetic corpus of N notes in both seed formats, for the benchmark.

Each note recombines paragraphs of the seeds and the dev corpus and swaps every
gazetteer name for another name of the same class, so the number of distinct
entities grows with N the way a real archive's does.  Deterministic for a seed.

    python bench/generate.py 1000 /tmp/corpus-1k
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import ingest  # noqa: E402
from kg import ontology as ontology_mod  # noqa: E402

SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "dev"]


def _paragraphs() -> tuple[list[str], list[str]]:
    """Markdown paragraphs of the video notes, and answer paragraphs of the Q&A articles."""
    video, qa = [], []
    for item in ingest.iter_documents([p for p in SOURCES if p.exists()]):
        if isinstance(item, Exception):
            continue
        blocks = [b.strip() for b in item.text.split("\n\n") if len(b.strip()) > 40]
        (qa if item.kind == "qa_article" else video).extend(blocks)
    return video, qa


def _swapper(rng: random.Random):
    onto = ontology_mod.load()
    by_cls: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for e in onto.gazetteer:
        by_cls.setdefault(e.cls, []).append(e.name)
        for n in e.names:
            if len(n) > 2:
                names[n] = e.cls
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")

    def swap(text: str) -> str:
        chosen: dict[str, str] = {}

        def repl(m: re.Match) -> str:
            old = m.group(0)
            if old not in chosen:
                chosen[old] = rng.choice(by_cls[names[old]]) if rng.random() < 0.7 else old
            return chosen[old]

        return pattern.sub(repl, text)

    return swap


def _yaml_block(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def generate(n: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    video, qa = _paragraphs()
    swap = _swapper(rng)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        if i % 2 == 0:
            paras = [swap(p) for p in rng.sample(video, k=min(len(video), rng.randint(4, 8)))]
            body = []
            for j, p in enumerate(paras):
                t = 30 + 40 * j
                body.append(f"{p} <a class=\"yt-timestamp\" data-t=\"00:{t // 60:02d}:{t % 60:02d}\">[00:{t // 60:02d}:{t % 60:02d}]</a>")
            text = (f"---\ntitle: Generated note {i}\nvideoId: gen{i:07d}\n---\n\nFrom: [[bench_channel]] <br/>\n\n"
                    + "\n\n".join(body) + "\n")
            path = out / f"note_{i:06d}.md"
        else:
            paras = [swap(p) for p in rng.sample(qa, k=min(len(qa), rng.randint(4, 7)))]
            answer = "\n\n".join(f"{k + 1}. {p}" for k, p in enumerate(paras))
            text = (f"---\nid: {100000 + i}\ntitle: >-\n    Generated question {i}?\nquestion: >-\n    Generated question {i}?\n"
                    f"answer: >-\n    {_yaml_block(answer)}\nsubject: Benchmark\nurl: /learn/bench/{i}\n---\n\n&nbsp;\n")
            path = out / f"qa_{i:06d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    files = generate(count, target)
    print(json.dumps({"documents": len(files), "folder": str(target)}))
