"""The real `newsgraph extract` output for the whole demo corpus validates against the shipped schema."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import RunCli
from newsgraph.sample import sample_inputs

pytestmark = pytest.mark.integration


def _schema() -> dict[str, Any]:
    text = resources.files("newsgraph.resources").joinpath("contract.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    # every field DESIGN.md's contract names is required
    assert set(schema["required"]) >= {"doc_id", "source", "title", "authors", "published", "language"}
    defs = schema["$defs"]
    assert {"id", "name", "type", "kind", "country", "wikidata", "role", "mentions", "geo"} <= set(
        defs["entity"]["required"]
    )
    assert {"killed", "injured", "hostages"} <= set(defs["event"]["properties"]["casualties"]["required"])
    assert {"speaker", "speaker_name", "text", "start", "end", "direct", "cue"} <= set(
        defs["quote"]["required"]
    )


def test_the_demo_corpus_extract_output_validates(run_cli: RunCli) -> None:
    inputs = sample_inputs()
    proc = run_cli("extract", *inputs, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    docs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(docs) >= len(inputs)  # a feed file holds several documents
    validator = Draft202012Validator(_schema())
    problems = [
        f"{doc['source']}: {list(e.absolute_path)}: {e.message}"
        for doc in docs
        for e in validator.iter_errors(doc)
    ]
    assert not problems, "\n".join(problems[:20])
    assert sum(len(d["events"]) for d in docs) > 0 and sum(len(d["quotes"]) for d in docs) > 0

    # what the schema cannot say: every span lies inside the text and equals it
    for doc in docs:
        text = doc["text"]
        spans: list[dict[str, Any]] = [m for e in doc["entities"] for m in e["mentions"]]
        for ev in doc["events"]:
            spans += [ev["trigger"], *ev["arguments"], *ev["physical_targets"]]
            for evidence in ev["evidence"]:
                assert 0 <= evidence["start"] <= evidence["end"] <= len(text)
        spans += doc["quotes"]
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"], (doc["source"], span)


def test_no_text_output_validates_too(run_cli: RunCli) -> None:
    inputs = sample_inputs()[:2]
    proc = run_cli("extract", *inputs, "--no-text")
    assert proc.returncode == 0, proc.stderr
    validator = Draft202012Validator(_schema())
    for line in proc.stdout.splitlines():
        doc = json.loads(line)
        assert "text" not in doc
        assert not list(validator.iter_errors(doc))
