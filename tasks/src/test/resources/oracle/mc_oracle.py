"""Writes mc-oracle.json: lm-eval 0.4.13's own prompts and requests for hand-made ARC, SciQ and
OpenBookQA items, the values of lm-eval's Jinja templates, and Python's random.Random(1234).sample.

Run with the lm_eval 0.4.13 wheel unpacked on PYTHONPATH (it needs jinja2, numpy and PyYAML only
for the parts used here): the task YAML files, lm_eval.utils.apply_template (lm-eval's Jinja
environment) and lm_eval.api.samplers.ContextSampler are lm-eval's own; the doc_to_* dispatch
below restates ConfigurableTask.doc_to_text/doc_to_target/doc_to_choice and fewshot_context.
"""

import ast
import json
import os
import random
import sys

import yaml

import lm_eval
from lm_eval.api.samplers import ContextSampler
from lm_eval.utils import apply_template

TASKS = os.path.join(os.path.dirname(lm_eval.__file__), "tasks")


def task_yaml(rel):
    with open(os.path.join(TASKS, rel), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    if "include" in cfg:
        base = task_yaml(os.path.join(os.path.dirname(rel), cfg.pop("include")))
        base.update(cfg)
        cfg = base
    return cfg


def resolve(doc, spec):
    if isinstance(spec, str) and spec in doc:
        return doc[spec], True
    return spec, False


def doc_to_text(cfg, doc):
    v, hit = resolve(doc, cfg["doc_to_text"])
    if hit:
        return v
    s = apply_template(v, doc)
    return ast.literal_eval(s) if s.isdigit() else s


def doc_to_target(cfg, doc):
    spec = cfg["doc_to_target"]
    if isinstance(spec, int):
        return spec
    v, hit = resolve(doc, spec)
    if hit:
        return v
    s = apply_template(v, doc)
    if s.isdigit():
        return ast.literal_eval(s)
    return s


def doc_to_choice(cfg, doc):
    spec = cfg["doc_to_choice"]
    if isinstance(spec, list):
        return spec
    v, hit = resolve(doc, spec)
    if hit:
        return v
    return ast.literal_eval(apply_template(v, doc))


def qa(cfg, doc):
    q, c, a = doc_to_text(cfg, doc), doc_to_choice(cfg, doc), doc_to_target(cfg, doc)
    return q + cfg.get("target_delimiter", " ") + (c[a] if isinstance(a, int) else a)


def requests(cfg, test, train, shots):
    sampler = ContextSampler(train, rnd=None)
    sampler.set_rnd(1234)
    out = []
    fd = cfg.get("fewshot_delimiter", "\n\n")
    for doc in test:
        ctx = ""
        if shots > 0:
            for fs in sampler.sample(n=shots, eval_doc=None):
                ctx += qa(cfg, fs) + fd
        ctx += doc_to_text(cfg, doc)
        td = cfg.get("target_delimiter", " ")
        out.append(
            {
                "context": ctx,
                "continuations": [td + c for c in doc_to_choice(cfg, doc)],
                "target": doc_to_target(cfg, doc),
                "decontamination_query": (
                    doc[cfg["doc_to_decontamination_query"]]
                    if cfg["doc_to_decontamination_query"] in doc
                    else apply_template(cfg["doc_to_decontamination_query"], doc)
                ),
            }
        )
    return out


def arc(i, q, labels, texts, key):
    return {
        "id": f"Mercury_{i}",
        "question": q,
        "choices": {"text": texts, "label": labels},
        "answerKey": key,
    }


def obqa(i, q, texts, key):
    return {
        "id": f"{i}-obqa",
        "question_stem": q,
        "choices": {"text": texts, "label": ["A", "B", "C", "D"]},
        "answerKey": key,
    }


def sciq(q, d1, d2, d3, ans, support):
    return {
        "question": q,
        "distractor3": d3,
        "distractor1": d1,
        "distractor2": d2,
        "correct_answer": ans,
        "support": support,
    }


ABCD = ["A", "B", "C", "D"]
DATA = {
    "arc_easy": {
        "test": [
            arc(1, "Which gas do plants take in?", ABCD, ["oxygen", "carbon dioxide", "helium", "neon"], "B"),
            arc(2, "What is 'ice' made of?", ["A", "B", "C"], ["water", "salt", "sand"], "A"),
            arc(3, 'A "simple" machine is a:', ["A", "B", "C", "D", "E"],
                ["lever", "motor", "battery", "computer", "café"], "A"),
            arc(4, "Which unit measures force?", ["1", "2", "3", "4"], ["newton", "joule", "watt", "volt"], "1"),
            arc(5, "The Moon 🌙 orbits?", ABCD, ["Earth", "Mars", "the Sun", "Venus"], "A"),
        ],
        "train": [
            arc(10 + i, f"Train question {i}?", ABCD, [f"t{i}a", f"t{i}b", f"t{i}c", f"t{i}d"], ABCD[i % 4])
            for i in range(7)
        ]
        + [arc(20, "Numeric train?", ["1", "2", "3"], ["one", "two", "three"], "3")],
    },
    "arc_challenge": {
        "test": [
            arc(30, "Why do metals conduct heat?", ABCD, ["free electrons", "color", "mass", "shape"], "A"),
            arc(31, "Which is a renewable resource?", ["1", "2", "3", "4"], ["coal", "oil", "wind", "gas"], "3"),
            arc(32, "  Leading spaces stay in ARC?", ["A", "B", "C"], ["yes", "no", "maybe"], "A"),
        ],
        "train": [
            arc(40 + i, f"Challenge train {i}?", ABCD, [f"c{i}a", f"c{i}b", f"c{i}c", f"c{i}d"], ABCD[(i + 1) % 4])
            for i in range(5)
        ],
    },
    "sciq": {
        "test": [
            sciq("What do mitochondria make?", "DNA", "fat", "light", "ATP",
                 "\n  Mitochondria are the powerhouse of the cell.\n"),
            sciq("What is the chemical symbol for gold?", "Ag", "Gd", "Go", "Au", ""),
            sciq("How many legs does an insect have?", "eight", "four", "ten", "six", " \tInsects have six legs."),
        ],
        "train": [
            sciq(f"SciQ train {i}?", f"d{i}1", f"d{i}2", f"d{i}3", f"ans{i}", ("  " if i % 2 else "") + f"Support {i}.")
            for i in range(6)
        ],
    },
    "openbookqa": {
        "test": [
            obqa(1, "The sun is responsible for", ["puppies learning new tricks", "plants sprouting", "a surge in fuel prices", "stars"], "B"),
            obqa(2, "When standing miles away from Mount Rushmore", ["the mountains seem very close", "the mountains are boring", "the mountains look smaller", "the mountains are blue"], " C"),
            obqa(3, "Which is a conductor?", ["wood", "rubber", "glass", "copper"], "D"),
        ],
        "train": [
            obqa(100 + i, f"OBQA train {i}", [f"o{i}a", f"o{i}b", f"o{i}c", f"o{i}d"], ABCD[(i + 2) % 4])
            for i in range(5)
        ],
    },
}

FILES = {
    "arc_easy": "arc/arc_easy.yaml",
    "arc_challenge": "arc/arc_challenge.yaml",
    "sciq": "sciq/sciq.yaml",
    "openbookqa": "openbookqa/openbookqa.yaml",
}

TEMPLATES = [
    ("{{question}}", {"question": "Q?"}),
    ("{{ question.strip() }}|{{question.lstrip()}}|{{question.rstrip()}}", {"question": "\u00a0\n Q \u2003\t"}),
    ("{{choices[0]}}-{{choices[-1]}}-{{choices}}", {"choices": ["it's", 'say "hi"', "a\\b", "tab\there", "é\u200b"]}),
    ("{{choices.label.index(answerKey)}}", {"choices": {"label": ["A", "B", "C"], "text": ["x", "y", "z"]}, "answerKey": "C"}),
    ("{{[a, b, 'lit', \"dq\"]}}", {"a": "x", "b": 'both \' and "'}),
    ("{{n}} {{f}} {{t}} {{z}} {{big}} {{neg}}", {"n": 7, "f": 0.1, "t": True, "z": None, "big": 1e16, "neg": -2.5}),
    ("{{d}}", {"d": {"text": ["a"], "label": ["A"], "n": 1}}),
    ("{{s[1]}}{{s[-1]}}", {"s": "héllo"}),
    ("{{ xs.index(2) }}", {"xs": [5, 2, 2]}),
    ("{{ [1, 'a', [2.0, None]] }}", {}),
]


def main(out):
    tasks = {}
    for name, rel in FILES.items():
        cfg = task_yaml(rel)
        d = DATA[name]
        tasks[name] = {
            "yaml": {k: cfg[k] for k in ("task", "dataset_path", "dataset_name", "doc_to_text", "doc_to_target", "doc_to_choice")},
            "test": d["test"],
            "train": d["train"],
            "zero_shot": requests(cfg, d["test"], d["train"], 0),
            "two_shot": requests(cfg, d["test"], d["train"], 2),
        }
    rnd = random.Random(1234)
    draws = []
    for n, k in [(8, 2), (5, 3), (21, 5), (22, 1), (40, 6), (100, 25), (3, 3), (1000, 7)]:
        draws.append({"n": n, "k": k, "sample": rnd.sample(range(n), k)})
    templates = [{"template": t, "doc": doc, "rendered": apply_template(t, doc)} for t, doc in TEMPLATES]
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"tasks": tasks, "random_1234_sample": draws, "templates": templates}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
