"""The transformers backend through default_analyser and ``cxloop text analyze --backend``.

A tiny BERT (two layers, a twenty-word vocabulary) is built inside the test: nothing is
downloaded. Its answers are random; what is tested is the wiring: the backend is chosen by
setting or option, named in the analyser, and a change of backend makes all feedback pending.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.understand.text.analyser import default_analyser
from understand.text.pipeline_doubles import add_feedback

for _part in ("language", "sentiment", "intent", "themes", "redaction"):
    pytest.importorskip(f"cxloop.understand.text.{_part}", reason="text models not merged yet")
backend = pytest.importorskip("cxloop.understand.text.transformer_backend")
pytest.importorskip("torch")
pytest.importorskip("transformers")

pytestmark = pytest.mark.slow
os.environ.setdefault("HF_HUB_OFFLINE", "1")
VOCAB = [
    *("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "delivery", "was", "late", "great"),
    *("staff", "rude", "la", "entrega", "tarde", "bad", "good", "very", "slow", "fast"),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-bert")
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    labels = {0: "negative", 1: "neutral", 2: "positive"}
    config = BertConfig(
        vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=3, id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )  # fmt: skip
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder)
    BertTokenizer(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


def test_the_backend_option_scores_sentiment_with_the_local_model(
    project: Settings, tiny_model: Path
) -> None:
    analyser = default_analyser(project, backend="transformers", model=tiny_model)
    assert isinstance(analyser.sentiment, backend.TransformerSentiment)
    assert f"sentiment=transformers:{tiny_model.name}-" in analyser.name
    insights = analyser.analyse(["the delivery was late", "great staff", "la entrega tarde"])
    assert [i.language for i in insights][:2] == ["en", "en"]
    assert all(-1 <= i.sentiment.score <= 1 for i in insights)

    by_setting = default_analyser(
        Settings.load(project=project.project, text_backend="transformers", text_model=tiny_model)
    )
    assert by_setting.name == analyser.name


def test_switching_backend_analyses_all_feedback_again(project: Settings, tiny_model: Path) -> None:
    with open_project_warehouse(project) as wh:
        add_feedback(wh, {f"t{i}": "the delivery was very late" for i in range(40)})
    runner = CliRunner()
    base = ["--project", str(project.project), "text", "analyze", "--json"]
    first = runner.invoke(app, [*base, "--backend", "transformers", "--model", str(tiny_model)])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["analysed"] == 40
    shipped = json.loads(runner.invoke(app, base).stdout)
    assert shipped["analysed"] == 40 and "transformers" not in shipped["analyser"]
    assert json.loads(runner.invoke(app, base).stdout)["analysed"] == 0
