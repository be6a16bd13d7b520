"""spaCy's Chinese tokenizer, fed in bounded pieces so that no input can blow up pkuseg.

pkuseg builds a Python list of features per character of the string it is given: a
1 MB line without a newline costs about 300 MB on top of the model. We cut long texts at
sentence ends (else at spaces, else at a hard limit) into pieces of at most `max_chunk`
characters; a cut at a sentence end or a space changes no word, and only a run of
`max_chunk` characters with neither can have a word cut in two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spacy import util
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TOKENIZER_NAME = "newsgraph.ChineseTokenizer.v1"
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+[”’」』）)]*")
_SPACE = re.compile(r"\s+")


def text_chunks(text: str, max_chunk: int) -> Iterator[str]:
    """Consecutive pieces of `text` (they join back to it), each at most `max_chunk` long."""
    start = 0
    while len(text) - start > max_chunk:
        window = text[start : start + max_chunk]
        cut = _last_end(_SENTENCE_END, window) or _last_end(_SPACE, window) or max_chunk
        yield text[start : start + cut]
        start += cut
    if start < len(text):
        yield text[start:]


def _last_end(pattern: re.Pattern[str], window: str) -> int:
    last = 0
    for match in pattern.finditer(window):
        last = match.end()
    return last


class NewsgraphChineseTokenizer(ChineseTokenizer):
    """The pkuseg tokenizer of spaCy, cutting long texts into pieces first (see module doc)."""

    def __init__(self, vocab: Vocab, segmenter: str = "pkuseg", max_chunk: int = 4000) -> None:
        super().__init__(vocab, segmenter=segmenter)
        self.max_chunk = max_chunk

    def __call__(self, text: str) -> Doc:
        if self.segmenter != Segmenter.pkuseg or len(text) <= self.max_chunk:
            return super().__call__(text)
        if self.pkuseg_seg is None:
            raise ValueError(Errors.E1000)
        words: list[str] = []
        for chunk in text_chunks(text, self.max_chunk):
            words.extend(self.pkuseg_seg.cut(chunk))
        words, spaces = util.get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer(
    segmenter: str = "pkuseg", max_chunk: int = 4000
) -> Callable[[Language], NewsgraphChineseTokenizer]:
    def tokenizer_factory(nlp: Language) -> NewsgraphChineseTokenizer:
        return NewsgraphChineseTokenizer(nlp.vocab, segmenter=segmenter, max_chunk=max_chunk)

    return tokenizer_factory
