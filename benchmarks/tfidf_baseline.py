"""A plain TF-IDF character-n-gram nearest-neighbour matcher: the baseline of issue 13.

Name and address as one lower-cased text, character 3-grams (with the word
boundaries), TF-IDF weighted over the registry of the row's country, L2
normalised; the cosine to every registry record of the same country; the best 5
kept. Fixed thresholds, not tuned: cosine >= 0.8 automatic, >= 0.5 pending,
else new. Built on scipy.sparse (scikit-learn's TfidfVectorizer does the same;
it is not a dependency of the project).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse

AUTOMATIC, PENDING = 0.8, 0.5
TOP = 5


@dataclass
class Result:
    facility_id: object | None
    score: float
    status: str
    candidates: list[tuple[object, float]]


def _text(name: object, address: object) -> str:
    t = f"{name or ''} {address or ''}".lower()
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w ]", " ", t)).strip() + " "


def _grams(text: str) -> Counter[str]:
    return Counter(text[i : i + 3] for i in range(len(text) - 2))


def _matrix(texts: list[str], vocab: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        for g, n in _grams(t).items():
            j = vocab.get(g)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append(n * idf[j])
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def match(registry: pl.DataFrame, rows: pl.DataFrame) -> list[Result]:
    """registry: id, name, address, country; rows: name, address, country."""
    out: list[Result | None] = [None] * rows.height
    countries = rows["country"].fill_null("").to_list()
    for country in sorted(set(countries)):
        reg = registry.filter(pl.col("country") == country)
        mine = [i for i, c in enumerate(countries) if c == country]
        if not reg.height:
            for i in mine:
                out[i] = Result(None, 0.0, "new", [])
            continue
        reg_texts = [_text(n, a) for n, a in zip(reg["name"], reg["address"], strict=True)]
        df: Counter[str] = Counter()
        for t in reg_texts:
            df.update(set(_grams(t)))
        vocab = {g: j for j, g in enumerate(df)}
        idf = np.array([math.log((1 + len(reg_texts)) / (1 + df[g])) + 1 for g in vocab])
        x_reg = _matrix(reg_texts, vocab, idf)
        x_rows = _matrix([_text(rows["name"][i], rows["address"][i]) for i in mine], vocab, idf)
        sims = (x_rows @ x_reg.T).tocsr()
        ids = reg["id"].to_list()
        for k, i in enumerate(mine):
            row = sims.getrow(k)
            order = np.argsort(-row.data)[:TOP]
            cands = [(ids[row.indices[j]], float(row.data[j])) for j in order]
            best = cands[0][1] if cands else 0.0
            status = "automatic" if best >= AUTOMATIC else "pending" if best >= PENDING else "new"
            out[i] = Result(cands[0][0] if status != "new" else None, best, status, cands)
    return [r or Result(None, 0.0, "new", []) for r in out]


def cosine_pair(a_name: str, a_address: str, b_name: str, b_address: str) -> float:
    """Cosine of two records alone (the labelled pairs): IDF over the two texts is flat."""
    ga, gb = _grams(_text(a_name, a_address)), _grams(_text(b_name, b_address))
    dot = sum(n * gb.get(g, 0) for g, n in ga.items())
    na = math.sqrt(sum(n * n for n in ga.values()))
    nb = math.sqrt(sum(n * n for n in gb.values()))
    return dot / (na * nb) if na and nb else 0.0
