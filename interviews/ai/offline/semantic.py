"""Meaning beyond shared words: WordLlama's static embeddings, loaded from its own wheel, never downloaded.

WordLlama (pip package `wordllama`) ships its 16 MB token-embedding matrix and its tokenizer inside the
wheel; a text's vector is the normalised mean of its tokens' vectors. `WordLlama.load()` looks for the
tokenizer under `tokenizer/` while the wheel puts it under `tokenizers/`, and then downloads it, so the
files are opened here directly: loading never touches the network (docs/evaluation.md has the load time
and memory). The vectors know that "running total" is close to "running sum" and "quick" to "fast", but
not word order or negation: the evaluator uses them only where lexical evidence is weak, never to decide
whether a claim is true.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import wordllama
from safetensors import safe_open
from tokenizers import Tokenizer
from wordllama.inference import WordLlamaInference

_ROOT = Path(wordllama.__file__).resolve().parent
WEIGHTS = _ROOT / "weights" / "l2_supercat_256.safetensors"
TOKENIZER = _ROOT / "tokenizers" / "l2_supercat_tokenizer_config.json"
DIMENSIONS = 256
_lock = threading.Lock()


@lru_cache(maxsize=1)
def model() -> WordLlamaInference:
    """The shared model, loaded once per process (about half a second) from the wheel's own files."""
    with _lock:
        with safe_open(str(WEIGHTS), framework="np") as weights:
            matrix = weights.get_tensor("embedding.weight")
        return WordLlamaInference(matrix, _tokenizer())


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    """The tokenizer without the inference class's padding: texts are encoded one by one, on this thread
    (a padded batch goes through the tokenizer's thread pool, slower for the few sentences of an answer)."""
    return Tokenizer.from_file(str(TOKENIZER))


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (zeros for an empty list or a text without tokens): the mean of the
    text's token vectors, as WordLlama pools them, without its padded batches (several times faster here)."""
    return unit(token_sums(texts))


def token_sums(texts: list[str]) -> np.ndarray:
    """Each text's summed token vectors: rows can be added up before `unit` to embed several texts as one."""
    sums = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    matrix, tokenizer = model().embedding, _tokenizer()
    for row, text in enumerate(texts):
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        if ids:
            sums[row] = matrix[ids].sum(axis=0)
    return sums


def cosines(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Cosine of each unit row with each unit column. Through einsum's own loop, not BLAS: for a few dozen
    vectors OpenBLAS's thread pool costs more than the product, and its spinning threads take a second core
    (measured: 340 against 540 evaluations per CPU second, docs/evaluation.md)."""
    return np.einsum("id,jd->ij", rows, columns)


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero); a mean's direction is its sum's."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=50_000)
def is_known_word(word: str) -> bool:
    """A word the tokenizer holds whole is an ordinary word; a misspelling falls apart into pieces."""
    return len(_tokenizer().encode(word, add_special_tokens=False).ids) == 1
