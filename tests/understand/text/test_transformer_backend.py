"""The transformer backend, loaded from a tiny BERT built here (no download, no hub)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxloop.errors import ConfigError
from cxloop.understand.text.transformer_backend import TransformerSentiment, label_mapping

os.environ.setdefault("HF_HUB_OFFLINE", "1")
transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "service", "late", "the",
         "was", "very", "!", "好", "差"]  # fmt: skip


def tiny_model(folder: Path, id2label: dict[int, str]) -> Path:
    """A two-layer BERT with a 15-word vocabulary, written with save_pretrained."""
    torch.manual_seed(0)
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = transformers.BertConfig(
        vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=len(id2label),
        id2label=id2label, label2id={v: k for k, v in id2label.items()},
    )  # fmt: skip
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-bert")
    return tiny_model(folder, {0: "negative", 1: "neutral", 2: "positive"})


TEXTS = ["the service was very good !", "bad", "late late late", "", "好", "the " * 600]


def test_loads_a_local_model_and_predicts_every_text(model_dir: Path) -> None:
    backend = TransformerSentiment(model_dir, batch_size=4, device="cpu")
    assert backend.device == "cpu" and backend.labels == ["negative", "neutral", "positive"]
    out = backend.predict(TEXTS, ["en"] * len(TEXTS))
    assert len(out) == len(TEXTS)
    assert all(-1 <= s.score <= 1 for s in out)
    assert out[3].label == "neutral" and out[3].score == 0.0  # an empty text


def test_batches_give_the_same_answer_as_one_by_one(model_dir: Path) -> None:
    one = TransformerSentiment(model_dir, batch_size=1, device="cpu").predict(TEXTS, [""] * 6)
    many = TransformerSentiment(model_dir, batch_size=32, device="cpu").predict(TEXTS, [""] * 6)
    assert [s.label for s in one] == [s.label for s in many]
    assert [s.score for s in one] == pytest.approx([s.score for s in many], abs=1e-4)


def test_batches_are_of_the_requested_size(model_dir: Path) -> None:
    backend = TransformerSentiment(model_dir, batch_size=2, device="cpu")
    sizes: list[int] = []
    original = backend._probabilities

    def spy(batch: list[str]):  # type: ignore[no-untyped-def]
        sizes.append(len(batch))
        return original(batch)

    backend._probabilities = spy  # type: ignore[method-assign]
    backend.predict(TEXTS[:5], ["en"] * 5)
    assert sizes == [2, 2, 1]


def test_default_device_is_cuda_when_available(model_dir: Path) -> None:
    backend = TransformerSentiment(model_dir)
    assert backend.device == ("cuda" if torch.cuda.is_available() else "cpu")
    assert str(next(backend.model.parameters()).device).startswith(backend.device)


def test_a_missing_folder_or_bad_batch_size_is_a_config_error(tmp_path: Path, model_dir) -> None:
    with pytest.raises(ConfigError, match="not a folder"):
        TransformerSentiment(tmp_path / "absent")
    with pytest.raises(ConfigError, match="cannot load"):
        TransformerSentiment(tmp_path)
    with pytest.raises(ConfigError, match="batch_size"):
        TransformerSentiment(model_dir, batch_size=0)


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "NEGATIVE", 1: "POSITIVE"}, ["negative", "positive"]),
        ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, ["negative", "neutral", "positive"]),
        ({i: f"{i + 1} star{'s' if i else ''}" for i in range(5)},
         ["negative", "negative", "neutral", "positive", "positive"]),
        ({0: "neg", 1: "neu", 2: "pos"}, ["negative", "neutral", "positive"]),
    ],
)  # fmt: skip
def test_label_mapping(id2label: dict[int, str], expected: list[str]) -> None:
    assert label_mapping(id2label) == expected


@pytest.mark.parametrize("id2label", [{0: "joy", 1: "anger"}, {i: f"LABEL_{i}" for i in range(4)}])
def test_labels_that_say_nothing_about_sentiment_are_refused(id2label: dict[int, str]) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        label_mapping(id2label)


def test_a_star_rated_model_maps_probabilities_by_group(tmp_path: Path) -> None:
    folder = tiny_model(tmp_path, {i: f"{i + 1} stars" for i in range(5)})
    out = TransformerSentiment(folder, device="cpu").predict(["good"], ["en"])
    assert out[0].label in ("negative", "neutral", "positive")
