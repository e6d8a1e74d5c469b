"""Exact and near-duplicate articles: signatures, the stored index, the Beam stage."""
import datetime as dt

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.core import near_duplicates as nd
from newsevents.transforms.dedupe import (DedupeArticles, StoredArticles, add_signature, hour_of,
                                          split_copies)
from newsevents.transforms.storage.lake_files import write_parquet

UTC = dt.timezone.utc
STORY = ("Gunmen attacked a police checkpoint on the road between Gao and Ansongo on "
         "Tuesday morning, killing four officers and wounding two others, the regional "
         "governor said. No group has claimed the attack. Security forces have launched "
         "a search operation in the surrounding villages, residents told reporters.")
REWRITE = STORY.replace("Tuesday morning", "Tuesday").replace("residents told reporters",
                                                               "according to residents")
SYNDICATED = "GAO, Mali (Wire) - " + STORY + " Copyright Wire Agency 2024."
OTHER_OUTLET = ("Four police officers died when armed men stormed a checkpoint near "
                "Ansongo, in northern Mali, officials said on Wednesday. Two more were "
                "hurt. Troops are combing nearby settlements for the assailants.")
UNRELATED = ("The central bank left its main interest rate unchanged on Thursday, citing "
             "slowing inflation and a weaker outlook for exports in the coming quarter, "
             "and said it would review the decision next month.")


def article(article_id, text, day=4, content=None, source="wire"):
    return {"article_id": article_id, "content_hash": content or f"h-{hash(text)}", "text": text,
            "published_at": dt.datetime(2024, 3, day, tzinfo=UTC), "duplicate_of": None,
            "source": source}


@pytest.mark.parametrize("a, b, near", [
    (STORY, STORY, True),
    (STORY, SYNDICATED, True),
    (STORY, REWRITE, True),
    (STORY, OTHER_OUTLET, False),
    (STORY, UNRELATED, False),
])
def test_signature_similarity_separates_copies_from_other_reports(a, b, near):
    score = nd.similarity(nd.signature(a), nd.signature(b))
    assert (score >= nd.DEFAULT_THRESHOLD) is near, score


BRIEF = ("Gunmen killed {n} people in {town} on Monday, police said. The attackers fled on "
         "motorcycles before security forces arrived, a local official told reporters.")


@pytest.mark.parametrize("a, b, agree", [
    (STORY, SYNDICATED, True),  # a dateline and a credit line added
    (SYNDICATED, STORY.replace(" No group has claimed the attack.", ""), True),  # a sentence dropped
    # A sentence dropped and another added: words on both sides, judged another report (it
    # is stored, and its events join the same incident: the price of never merging
    # templated briefs that differ by a word).
    (SYNDICATED, STORY.replace(" No group has claimed the attack.", "") + " Reuters contributed.", False),
    ("Workers began a strike in Pune over wages.", "Workers continued a strike in Pune over wages.", False),
    ("Students protested in Dhaka for a second day.", "Students protested in Dhaka for a third day.", False),
    (BRIEF.format(n=5, town="Kano"), BRIEF.format(n=7, town="Kano"), False),  # another toll
    (STORY, STORY.replace("four officers", "four officers, 11 in all,"), True),  # a number added
    (STORY.replace("four", "4"), STORY.replace("four", "6"), False),  # a toll raised
    # Templated briefs: another place, or another day, is another story.
    (BRIEF.format(n=5, town="Kano"), BRIEF.format(n=5, town="Jos"), False),
    (BRIEF.format(n=5, town="Kano"), BRIEF.format(n=5, town="Kano").replace("Monday", "Tuesday"), False),
    # Outlets credit themselves differently: datelines and credit lines are not key terms.
    ("JOS, Nigeria (AP) - " + BRIEF.format(n=5, town="Kano") + " (Reporting by Ann Lee)",
     "KANO (Reuters) - " + BRIEF.format(n=5, town="Kano") + " (Editing by Bo Chu.)", True),
    # A sentence added on one side: one-sided names, still a copy.
    (BRIEF.format(n=5, town="Kano"), BRIEF.format(n=5, town="Kano") + " Later, Governor Umar Ganduje visited.", False),
    (BRIEF.format(n=5, town="Kano"), BRIEF.format(n=5, town="Kano") + " Governor Ganduje visited.", True),
])
def test_key_terms_keep_updates_and_templated_briefs_apart(a, b, agree):
    assert nd.terms_agree(nd.key_terms(a), nd.key_terms(b)) is agree


NOTE = ("Teachers of a public school in Sangrur began a strike for better benefits on "
        "Monday, demanding the payment of arrears.")


@pytest.mark.parametrize("copy, original, may", [
    (STORY, SYNDICATED, True),  # a copy may drop the dateline and the copyright line
    (SYNDICATED, STORY, True),  # or add them (a copyright year is no new number)
    (STORY.replace(" No group has claimed the attack.", ""), STORY, True),  # a sentence dropped
    # A later text that tells more is no copy: a number, a name or (in a brief) words added.
    (STORY.replace("Tuesday morning", "Tuesday morning, the third attack this week"), STORY, False),
    (NOTE.replace("a strike", "a strike for the fifth day"), NOTE, False),
    (NOTE + " (27/01)", NOTE + " (26/01)", False),  # a closing date is no credit line
    (NOTE.replace("Sangrur", "Sangrur and Patiala"), NOTE, False),
    (NOTE.replace("Monday", "Wednesday"), NOTE, False),
    ("Parents of pupils protested after t" + NOTE[1:], NOTE, False),
    (NOTE.replace(" demanding the payment of arrears", ""), NOTE, True),
    (NOTE + " Copyright Wire Agency 2024.", NOTE, True),
])
def test_a_copy_tells_nothing_its_original_does_not(copy, original, may):
    assert nd.may_copy(nd.key_terms(copy), nd.key_terms(original)) is may


def test_cluster_pairs_checks_each_copy_against_its_original():
    # b links a to c, but c adds a number a lacks ("for the third day"): c is its own
    # original, and d, a copy of c, stays with c.
    order = {n: (1, f"2024-03-0{i}", n) for i, n in enumerate("abcd", start=1)}
    base = "Workers of the mill in Pune went on strike on Monday over unpaid wages."
    texts = {"a": base, "b": base.replace(" on Monday", ""),
             "c": base.replace("strike", "strike for the third day"),
             "d": base.replace("strike", "strike for the third day").replace(" on Monday", "")}
    terms = {n: nd.key_terms(t) for n, t in texts.items()}
    pairs = [("a", "b", 0.9), ("b", "c", 0.8), ("c", "d", 0.9)]
    assert {m: g.article_id for m, g in nd.cluster_pairs(pairs, order).items()} == \
        {"b": "a", "c": "a", "d": "a"}  # without key terms: connected components
    assert {m: g.article_id for m, g in nd.cluster_pairs(pairs, order, terms).items()} == \
        {"b": "a", "d": "c"}
    stored = dict(order, a=(0, "", "a"))  # a stored article is an original whatever its terms
    assert nd.cluster_pairs(pairs, stored, terms)["b"].article_id == "a"


def test_key_terms_are_numbers_names_inside_sentences_and_content_words():
    terms = nd.key_terms("Police said 12 died in Kano. Officials in Abuja disagreed.")
    words = {nd.term(w, nd.TERM_WORD) for w in ("police", "said", "died", "kano", "officials",
                                                   "abuja", "disagreed")}
    expected = {nd.term("12", nd.TERM_NUMBER), nd.term("Kano", nd.TERM_NAME),
                nd.term("Abuja", nd.TERM_NAME)} | words
    assert set(terms.tolist()) == expected
    # Numbers written out are the same term as in digits; datelines and credits are no terms.
    assert set(nd.key_terms("KANO (Wire) - Twelve died in Kano. (Reporting by Ann Lee)").tolist()) \
        >= {nd.term("12", nd.TERM_NUMBER)}
    assert nd.term("Wire", nd.TERM_NAME) not in set(nd.key_terms("KANO (Wire) - Twelve died.").tolist())


@pytest.mark.parametrize("text, word, opens", [
    ("Police said", "Police", True),                  # the text's first word
    ("  Police said", "Police", True),
    ("He left. Police said", "Police", True),         # after a full stop, "!" or "?"
    ("He left?  Police said", "Police", True),
    ('He said "go." Police said', "Police", True),    # a closing quote or bracket after it
    ("He left (at noon.) Police said", "Police", True),
    ("He met Police chiefs", "Police", False),        # inside a sentence: a name
    ("He met (Police) chiefs", "Police", False),
    ('He said "Police" went', "Police", False),
    ("Troops in Kano, Police said", "Police", False),
])
def test_a_word_opens_a_sentence(text, word, opens):
    assert nd.opens_sentence(text, text.index(word)) is opens


def test_shingles_are_lowercased_word_trigrams():
    assert nd.shingles("The cat sat. THE cat") == {b"the cat sat", b"cat sat the", b"sat the cat"}
    assert nd.shingles("Two words") == {b"two words"}
    assert nd.shingles("") == set()


def test_band_keys_differ_per_band_and_match_for_equal_signatures():
    sig = nd.signature(STORY)
    keys = nd.band_keys(sig)
    assert keys.shape == (nd.BANDS,) and len(set(keys.tolist())) == nd.BANDS
    assert (nd.band_keys(np.stack([sig, sig])) == keys).all()


def test_index_finds_a_near_copy_and_nothing_for_unrelated_text():
    index = nd.SignatureIndex(["s1", "s2"], np.stack([nd.signature(STORY), nd.signature(UNRELATED)]))
    match = index.best_match(nd.signature(SYNDICATED), nd.DEFAULT_THRESHOLD)
    assert match.article_id == "s1" and 0.5 <= match.similarity < 1.0
    assert index.best_match(nd.signature(OTHER_OUTLET), nd.DEFAULT_THRESHOLD) is None


@pytest.mark.parametrize("a, b, close", [
    ("2015-12-04T00:00:00+00:00", "2015-12-05T00:00:00+00:00", True),  # the next day
    ("2015-12-04T00:00:00+00:00", "2015-12-05T12:00:00+00:00", True),  # 36 hours
    ("2015-12-04T00:00:00+00:00", "2015-12-05T13:00:00+00:00", False),
    ("2015-12-08T00:00:00+00:00", "2015-12-04T00:00:00+00:00", False),  # either order
    ("2015-12-04T23:00:00+01:00", "2015-12-04T22:00:00+00:00", True),  # an offset is read
    ("2015-12-04T00:00:00+00:00", None, True),  # unknown: judged by the text alone
])
def test_copies_are_published_close_to_their_original(a, b, close):
    assert nd.published_close(nd.published_hour(a), nd.published_hour(b)) is close


@pytest.mark.parametrize("copy, original, close", [
    ((12, 36), 0, True),
    ((24, 96), 0, False),  # a text and its exact copies follow an original only as a whole
    ((0, 24), 30, True),
    (24, (0, 96), True),  # an original's exact copies do not matter: its own hour does
    ((30, 40), (0, 96), False),
])
def test_a_text_with_exact_copies_spans_their_hours(copy, original, close):
    assert nd.published_close(copy, original) is close


def test_index_and_clusters_part_near_copies_published_days_apart():
    day = 24
    index = nd.SignatureIndex(["s1"], np.stack([nd.signature(STORY)]), published=np.array([100 * day]))
    sig = nd.signature(SYNDICATED)
    assert index.best_match(sig, nd.DEFAULT_THRESHOLD, published=101 * day).published == 100 * day
    assert index.best_match(sig, nd.DEFAULT_THRESHOLD, published=103 * day) is None
    assert index.best_match(sig, nd.DEFAULT_THRESHOLD).article_id == "s1"  # time unknown
    # b copies a (a day later); c, two days after a, stays its own; d copies c.
    order = {n: (1, f"2024-03-0{i}", n) for i, n in enumerate("abcd", start=1)}
    terms = {n: nd.key_terms(STORY) for n in "abcd"}
    hours = {"a": 0, "b": day, "c": 2 * day, "d": 2 * day + 5}
    pairs = [("a", "b", 0.9), ("a", "c", 0.9), ("c", "d", 0.9)]
    assert {m: g.article_id for m, g in nd.cluster_pairs(pairs, order, terms, hours).items()} == \
        {"b": "a", "d": "c"}
    # --copy-window-hours 72: c, two days after a, is a copy too.
    assert {m: g.article_id for m, g in nd.cluster_pairs(pairs, order, terms, hours, 72).items()} == \
        {"b": "a", "c": "a", "d": "a"}


def test_stored_articles_keep_publication_hours(tmp_path):
    path = stored_file(tmp_path, [add_signature(article("s1", STORY, day=4, content="h1"))])
    stored = StoredArticles.from_files([path])
    assert stored.index.published_of(0) == nd.published_hour(dt.datetime(2024, 3, 4, tzinfo=UTC))
    assert stored.match(add_signature(article("n", SYNDICATED, day=5)), 0.5).article_id == "s1"
    assert stored.match(add_signature(article("n", SYNDICATED, day=8)), 0.5) is None
    assert stored.match(article("n", "y", day=28, content="h1"), 0.5).article_id == "s1"  # same text
    # A time the run's --default-published-at filled in is a guess: the text decides.
    guessed = dict(add_signature(article("n", SYNDICATED, day=28)), published_at_source="default")
    assert stored.match(guessed, 0.5).article_id == "s1"
    path = stored_file(tmp_path, [dict(add_signature(article("s2", STORY, day=4, content="h2")),
                                       published_at_source="default")])
    assert StoredArticles.from_files([path]).match(add_signature(article("n", SYNDICATED, day=28)),
                                                   0.5).article_id == "s2"


def test_cluster_pairs_links_chains_to_the_earliest_member():
    order = {"a": (1, "2024-03-02", "a"), "b": (1, "2024-03-01", "b"), "c": (1, "2024-03-03", "c"),
             "stored:s": (0, "", "stored:s")}
    groups = nd.cluster_pairs([("a", "b", 0.8), ("a", "c", 0.7)], order)
    assert {m: g.article_id for m, g in groups.items()} == {"a": "b", "c": "b"}
    groups = nd.cluster_pairs([("a", "b", 0.8), ("c", "stored:s", 1.0), ("b", "c", 0.6)], order)
    assert {m: g.article_id for m, g in groups.items()} == {"a": "stored:s", "b": "stored:s",
                                                           "c": "stored:s"}


def test_split_copies_keeps_the_earliest():
    rows = [article("b", "x", 5, "h"), article("a", "x", 6, "h"), article("c", "x", 4, "h")]
    canonical, copies = split_copies(rows)
    assert canonical["article_id"] == "c"
    assert hour_of(canonical) == (nd.published_hour(rows[2]["published_at"]),
                                  nd.published_hour(rows[1]["published_at"]))
    assert [(c["article_id"], c["duplicate_of"], c["text"]) for c in copies] == [
        ("b", "c", None), ("a", "c", None)]


def test_short_texts_get_no_signature():
    assert add_signature(article("a", "Markets closed on Monday."))["minhash"] is None
    assert len(add_signature(article("a", STORY))["minhash"]) == 4 * nd.NUM_PERM


def stored_file(tmp_path, rows):
    path = str(tmp_path / "articles" / "dt=2024-03-01" / "part-R0-0.parquet")
    write_parquet(path, to_arrow_table("articles", rows))
    return path


def test_stored_articles_match_by_id_content_and_signature(tmp_path):
    path = stored_file(tmp_path, [
        add_signature(article("s1", STORY, content="h1")),
        dict(article("s2", UNRELATED, content="h2"), text=None, duplicate_of="s9")])
    stored = StoredArticles.from_files([path])
    assert len(stored) == 2
    assert stored.match(article("s1", "changed text"), 0.5).article_id == "s1"
    assert stored.match(article("s2", "x"), 0.5).article_id == "s2"  # a stored copy read again
    assert stored.match(article("n", "y", content="h1"), 0.5).article_id == "s1"
    near = stored.match(add_signature(article("n", SYNDICATED)), 0.5)
    assert near.article_id == "s1" and near.similarity < 1.0
    assert stored.match(add_signature(article("n", OTHER_OUTLET)), 0.5) is None


def test_dedupe_articles_within_a_run_and_against_the_lake(tmp_path, local_runner):
    path = stored_file(tmp_path, [add_signature(article("stored-d", UNRELATED, content="h3"))])
    rows = [article("a", STORY, 4, "h1"), article("b", STORY, 9, "h1"),
            article("c", SYNDICATED, 5, "h2"), article("e", OTHER_OUTLET, 4, "h4"),
            article("d", "BANGKOK (Wire) - " + UNRELATED, 4, "h5"), article("stored-d", UNRELATED, 7, "h3"),
            # The same words edited and published days later: a new report, in the run
            # (f, three days after a) and against the lake (g, sixteen days after stored-d).
            article("f", REWRITE, 7, "h6"),
            article("g", UNRELATED + " (Reporting by Ann Lee)", 20, "h7")]
    with TestPipeline(runner=local_runner) as p:
        result = p | beam.Create(rows) | DedupeArticles([path])
        kept = result["articles"] | beam.Map(lambda r: r["article_id"])
        copies = result["duplicates"] | beam.Map(
            lambda r: (r["article_id"], r["duplicate_of"], r["text"], r["duplicate_similarity"] == 1.0))
        assert_that(kept, equal_to(["a", "e", "f", "g"]), label="kept")
        # The very same text is a copy whenever it was published (b, five days later).
        assert_that(copies, equal_to([("b", "a", None, True), ("c", "a", None, False),
                                      ("d", "stored-d", None, False),
                                      ("stored-d", "stored-d", None, True)]), label="copies")


def test_a_near_copy_does_not_join_a_stored_original_days_before_through_its_twin(tmp_path, local_runner):
    # x repeats the stored s word for word nine days later, z edits x the same day: x is a
    # copy of s, but z, nine days after s, is a report of its own.
    path = stored_file(tmp_path, [add_signature(article("s", STORY, 1, "h1"))])
    rows = [article("x", STORY, 10, "h1"), article("z", REWRITE, 10, "h2")]
    with TestPipeline(runner=local_runner) as p:
        result = p | beam.Create(rows) | DedupeArticles([path])
        assert_that(result["articles"] | beam.Map(lambda r: r["article_id"]), equal_to(["z"]), label="kept")
        assert_that(result["duplicates"] | beam.Map(lambda r: (r["article_id"], r["duplicate_of"])),
                    equal_to([("x", "s")]), label="copies")


def test_signatures_keep_the_values_earlier_lakes_stored():
    # datasketch 2.0 changed its default permutations; a lake's stored signatures (from
    # datasketch 1.x) must still match new ones, or copies across runs go unnoticed.
    # Values from datasketch 1.9.0.
    text = "Gunmen killed five people in a village near Maiduguri on Monday, police said."
    assert nd.signature(text)[:6].tolist() == [26848663, 684324320, 112506810, 158175166, 324692508, 463386509]
