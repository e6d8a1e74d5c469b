"""Lexicons and the ontology are data; bad data must fail loudly at load time."""
import json
import re

import pytest
import spacy

from newsevents.transforms.extraction.resources import (WORD_CLASSES, build_actor_matchers, build_triggers,
                                                        load_word_classes)
from newsevents.transforms.lexicons.loader import LexiconError, lexicon_path, read_csv, read_jsonl
from newsevents.transforms.extraction.ontology import ACLED_SUB_EVENT_TYPES, PLOVER_TYPES, Ontology


def test_every_lexicon_loads_and_validates():
    nlp = spacy.blank("en")
    matcher, info = build_triggers(nlp, read_jsonl("triggers.jsonl", ("id", "event_type", "pattern")))
    assert len(matcher) == len(info) > 50
    assert {i["event_type"] for i in info.values()} == set(PLOVER_TYPES)
    exact, lower, actors = build_actor_matchers(nlp, read_jsonl("actors.jsonl", ("name", "aliases")))
    assert "Islamic State" in {a.name for a in actors.values()}


def test_isis_spellings_resolve_to_one_actor():
    nlp = spacy.blank("en")
    exact, lower, actors = build_actor_matchers(nlp, read_jsonl("actors.jsonl", ("name", "aliases")))
    doc = nlp("ISIS and Daesh and IS and ISIL is the same group")
    found = {doc[s:e].text: actors[nlp.vocab.strings[k]].name for k, s, e in list(exact(doc)) + list(lower(doc))}
    assert found["ISIS"] == found["Daesh"] == found["IS"] == found["ISIL"] == "Islamic State"
    assert "is" not in found  # the verb never matches the acronym


@pytest.mark.parametrize("text, spelling, name", [
    # The Syrian war's parties go by many names in the news.
    ("Fighters of Jabhat al-Nusra attacked", "Jabhat al-Nusra", "Hayat Tahrir al-Sham"),
    ("the al-Nusra group", "al-Nusra", "Hayat Tahrir al-Sham"),
    ("Jabhat Fateh al-Sham said", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"),
    ("Jaysh al-Islam fired rockets", "Jaysh al-Islam", "Jaish al-Islam"),
    ("the Free Syrian Army said", "Free Syrian Army", "Free Syrian Army"),
    ("Ahrar al-Sham fighters", "Ahrar al-Sham", "Ahrar al-Sham"),
    ("the Army of Conquest coalition", "Army of Conquest", "Army of Conquest"),
    ("Failaq al-Rahman said", "Failaq al-Rahman", "Faylaq al-Rahman"),
])
def test_syrian_war_parties_resolve_to_one_actor(text, spelling, name):
    nlp = spacy.blank("en")
    exact, lower, actors = build_actor_matchers(nlp, read_jsonl("actors.jsonl", ("name", "aliases")))
    doc = nlp(text)
    found = {doc[s:e].text: actors[nlp.vocab.strings[k]].name for k, s, e in list(exact(doc)) + list(lower(doc))}
    assert found.get(spelling) == name, found


def test_bad_trigger_pattern_fails_with_its_line(tmp_path):
    path = tmp_path / "triggers.jsonl"
    path.write_text(json.dumps({"id": "x", "event_type": "ASSAULT", "pattern": [{"LEMMMA": "x"}]}) + "\n")
    with pytest.raises(LexiconError, match="triggers.jsonl:1: bad pattern 'x'"):
        build_triggers(spacy.blank("en"), read_jsonl(str(path), ("id", "event_type", "pattern")))


def test_unknown_event_type_fails(tmp_path):
    path = tmp_path / "triggers.jsonl"
    path.write_text(json.dumps({"id": "x", "event_type": "FIGHT", "pattern": [{"LOWER": "x"}]}) + "\n")
    with pytest.raises(LexiconError, match="unknown type 'FIGHT'"):
        build_triggers(spacy.blank("en"), read_jsonl(str(path), ("id", "event_type", "pattern")))


def test_missing_key_and_bad_json_fail(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "x"}\n')
    with pytest.raises(LexiconError, match="x.jsonl:1: missing event_type"):
        read_jsonl(str(path), ("id", "event_type"))
    path.write_text('{"id": \n')
    with pytest.raises(LexiconError, match="bad JSON"):
        read_jsonl(str(path), ("id",))


@pytest.mark.parametrize("event_type, mode, sector, acled, sub, cameo, quad", [
    ("ASSAULT", "aerial", None, "Explosions/Remote violence", "Air/drone strike", "19", 4),
    ("ASSAULT", "suicide-bomb", "CVL", "Explosions/Remote violence", "Suicide bomb", "18", 4),
    ("ASSAULT", "", "CVL", "Violence against civilians", "Attack", "18", 4),
    ("ASSAULT", "", "armed", "Battles", "Armed clash", "19", 4),
    ("ASSAULT", "abduct", None, "Violence against civilians", "Abduction/forced disappearance", "18", 4),
    ("COERCE", "arrest", None, "Strategic developments", "Arrests", "17", 4),
    ("PROTEST", "riot", None, "Riots", "Violent demonstration", "14", 3),
    ("PROTEST", "demonstrate", None, "Protests", "Peaceful protest", "14", 3),
    ("CONSULT", "meet", None, None, None, "04", 1),
    ("SANCTION", "economic", None, None, None, "16", 3),
    ("AID", "humanitarian", None, None, None, "07", 2),
])
def test_ontology_coding(event_type, mode, sector, acled, sub, cameo, quad):
    coding = Ontology.load().code(event_type, mode, sector)
    assert (coding.acled_event_type, coding.acled_sub_event_type, coding.cameo_root,
            coding.quad_class) == (acled, sub, cameo, quad)


def test_ontology_covers_every_plover_type_and_uses_exact_acled_labels():
    ontology = Ontology.load()
    for event_type in PLOVER_TYPES:
        assert ontology.code(event_type, None, None).quad_class in (1, 2, 3, 4)
    used = {(c.acled_event_type, c.acled_sub_event_type) for c in ontology.rows.values() if c.acled_event_type}
    for acled, sub in used:
        assert sub in ACLED_SUB_EVENT_TYPES[acled]


def test_mode_words_give_modes_the_ontology_or_triggers_know():
    # a typo in modes.csv would make a mode no ACLED sub-type ever reads
    known = {row["mode"] for row in read_csv("ontology.csv", ("event_type", "mode"))}
    known |= {entry.get("mode") for entry in read_jsonl("triggers.jsonl", ("event_type",))}
    rows = read_csv("modes.csv", ("lemma", "event_type", "mode"))
    assert {row["mode"] for row in rows} - known == set()


def test_ontology_rejects_a_wrong_acled_label(tmp_path):
    rows = read_csv("ontology.csv", ("event_type",))
    path = tmp_path / "ontology.csv"
    header = ",".join(rows[0].keys())
    lines = [header] + [",".join(r.values()) for r in rows]
    lines.append("ASSAULT,typo,*,Battles,Armed clashes,19,4")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LexiconError, match="not an ACLED label pair"):
        Ontology.load(str(path))


def test_csv_errors_name_the_line_of_the_file_even_after_comments(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("# a comment\nlemma,class\n# another\nattack,weapon\n# a third\n,weapon\n")
    with pytest.raises(LexiconError, match=r"x.csv:6: empty lemma"):
        read_csv(str(path), ("lemma", "class"))


def test_every_word_class_is_documented_in_the_file_and_has_words():
    classes = load_word_classes()
    assert set(classes) == WORD_CLASSES
    assert all(classes[name] for name in WORD_CLASSES), [n for n in WORD_CLASSES if not classes[n]]
    header = lexicon_path("word_classes.csv").read_text(encoding="utf-8").split("\nlemma,class\n")[0]
    documented = {line[2:].split(":")[0] for line in header.splitlines() if line.startswith("# ") and ":" in line}
    assert WORD_CLASSES <= documented, WORD_CLASSES - documented


@pytest.mark.parametrize("rows, expected", [
    (["Say,reporting_verb", "will,future_modal", "amid,temporal_prep"],
     {"reporting_verb": {"say"}, "future_modal": {"will"}, "temporal_prep": {"amid"}}),
    (["fail,negating_word", "# a comment line", "'ll,future_modal"],
     {"negating_word": {"fail"}, "future_modal": {"'ll"}}),
    (["say,reporting_verbs"], "word_classes.csv: unknown class 'reporting_verbs' for 'say'"),
    (["say,"], "word_classes.csv: unknown class '' for 'say'"),
    ([",reporting_verb"], "word_classes.csv:3: empty lemma"),
    (["say,reporting_verb", "# comment lines count", ",future_modal"], "word_classes.csv:5: empty lemma"),
])
def test_word_classes_validate_every_row(tmp_path, rows, expected):
    path = tmp_path / "word_classes.csv"
    path.write_text("# a header comment\nlemma,class\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if isinstance(expected, str):
        with pytest.raises(LexiconError, match=re.escape(expected)):
            load_word_classes(str(path))
        return
    classes = load_word_classes(str(path))
    assert set(classes) == WORD_CLASSES  # every class is there, empty when the file has none
    assert {name: words for name, words in classes.items() if words} == expected


def test_country_cues_match_as_written_or_in_any_case(tmp_path):
    from newsevents.transforms.extraction.country_cues import CountryCues

    path = tmp_path / "country_cues.csv"
    path.write_text("# a comment\ncue,country_iso3,kind\nupazila,BGD,local_government\n"
                    "VDC,NPL,local_government\nLok Sabha,IND,legislature\n")
    nlp = spacy.blank("en")
    cues = CountryCues.build(nlp, {"IND", "BGD", "NPL"}, name=str(path))
    found = cues.countries(nlp("Clashes in Sharsha Upazila; an upazila chairman; the VDC office; a Lok Sabha MP"))
    assert found == {"BGD": 1, "NPL": 1, "IND": 1}  # distinct cues, not occurrences
    # Acronyms and capitalized names only as written: "vdc", "lok sabha" are not cues.
    assert not cues.countries(nlp("the vdc office and the lok sabha"))


@pytest.mark.parametrize("content, message", [
    ("cue,country_iso3,kind\nupazila,BGD,galaxy\n", "unknown kind 'galaxy'"),
    ("cue,country_iso3,kind\nupazila,XXX,local_government\n", "unknown country 'XXX'"),
    ("cue,country_iso3,kind\nupazila,BGD,local_government\nupazila,BGD,term\n", "repeated cue"),
    ("cue,country_iso3,kind\nAwami League,BGD,party\n", "is an actor alias"),
])
def test_bad_country_cues_fail(tmp_path, content, message):
    from newsevents.transforms.extraction.country_cues import CountryCues

    path = tmp_path / "country_cues.csv"
    path.write_text(content)
    with pytest.raises(LexiconError, match=message):
        CountryCues.build(spacy.blank("en"), {"BGD"}, frozenset({"awami league"}), name=str(path))


def test_a_cue_inside_a_longer_cue_counts_once(tmp_path):
    from newsevents.transforms.extraction.country_cues import CountryCues

    path = tmp_path / "country_cues.csv"
    path.write_text("cue,country_iso3,kind\npanchayat,IND,local_government\n"
                    "gram panchayat,IND,local_government\n")
    nlp = spacy.blank("en")
    cues = CountryCues.build(nlp, {"IND"}, name=str(path))
    assert cues.countries(nlp("the gram panchayat office")) == {"IND": 1}


def test_country_cues_name_real_countries(gazetteer):
    from newsevents.transforms.extraction.country_cues import CountryCues

    cues = CountryCues.build(spacy.blank("en"), gazetteer.countries)
    assert len(cues.country_of) > 50 and set(cues.country_of.values()) <= set(gazetteer.countries)
