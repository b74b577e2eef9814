"""Writes csl-items.schema.json: a JSON Schema of CSL-JSON items, written for refexport's tests
from the variable lists of the CSL 1.0.2 specification (https://docs.citationstyles.org/en/stable/
specification.html, appendices "Item Types" and "Variables"): every item type, the name, date,
number and standard variables, nothing else. Run it again after editing the lists below."""

import json
from pathlib import Path

TYPES = """article article-journal article-magazine article-newspaper bill book broadcast chapter classic
collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview
legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance
periodical personal_communication post post-weblog regulation report review review-book software song speech
standard thesis treaty webpage""".split()
NAMES = """author chair collection-editor compiler composer container-author contributor curator director editor
editorial-director executive-producer guest host illustrator interviewer narrator organizer original-author
performer producer recipient reviewed-author script-writer series-creator translator""".split()
DATES = "accessed available-date event-date issued original-date submitted".split()
NUMBERS = """chapter-number citation-number collection-number edition first-reference-note-number issue locator
number number-of-pages number-of-volumes page page-first part-number printing section supplement version
volume""".split()
STRINGS = """abstract annote archive archive_collection archive_location archive-place authority call-number
citation-key citation-label collection-title container-title container-title-short dimensions division DOI
event event-title event-place genre ISBN ISSN jurisdiction keyword language license medium note
original-publisher original-publisher-place original-title part-title PMCID PMID publisher publisher-place
references reviewed-genre reviewed-title scale source status title title-short URL volume-title
volume-title-short year-suffix""".split()

NAME = {"type": "object", "additionalProperties": False, "properties": {
    key: {"type": "string"} for key in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")}}
DATE = {"type": "object", "additionalProperties": False, "properties": {
    "date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                   "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["string", "number"]}}},
    "season": {"type": ["string", "number"]}, "circa": {"type": ["string", "number", "boolean"]},
    "literal": {"type": "string"}, "raw": {"type": "string"}}}

properties: dict = {"type": {"enum": TYPES}, "id": {"type": ["string", "number"]}, "custom": {"type": "object"}}
properties |= {name: {"type": "array", "items": {"$ref": "#/definitions/name"}} for name in NAMES}
properties |= {name: {"$ref": "#/definitions/date"} for name in DATES}
properties |= {name: {"type": ["string", "number"]} for name in NUMBERS}
properties |= {name: {"type": "string"} for name in STRINGS}
schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "description": "CSL-JSON items as the CSL 1.0.2 specification defines their variables (written for refexport's tests)",
    "type": "array",
    "items": {"type": "object", "required": ["type", "id"], "additionalProperties": False, "properties": properties},
    "definitions": {"name": NAME, "date": DATE},
}
(Path(__file__).resolve().parent / "csl-items.schema.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
