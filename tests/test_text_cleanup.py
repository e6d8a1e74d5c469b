import pytest

from newsevents.transforms.lexicons.loader import load_boilerplate_patterns, read_words
from newsevents.transforms.core.text_cleanup import (
    clean_article_text, content_hash, detection_sample, fix_unicode, make_article_id,
    normalize_language_code, normalize_whitespace, plainly_english, remove_boilerplate_lines)

PATTERNS = load_boilerplate_patterns()


@pytest.mark.parametrize("raw, expected", [
    ("Caf\u00c3\u00a9 attack", "Café attack"),  # mojibake repaired
    ("\uff21\uff22\uff23", "ABC"),  # NFKC folds full-width letters
    # a no-break space saved as Mac Roman and read as Latin-1, and a right quote ...
    ("Workers held a\u00caprotest\u00cain Lahore", "Workers held a protest in Lahore"),
    ("The\u00caunion marched", "The union marched"),
    ("killed\u00ca12\u00capeople", "killed 12 people"),
    ("US\u00catroops held a\u00ca\u00caprotest", "US troops held a protest"),
    ('he said:\u00ca"We', 'he said: "We'),
    ("it\u00d5s over", "it's over"),
    # ... not a capital letter of French, Portuguese or Vietnamese
    ("PR\u00caT \u00c0 PORTER", "PR\u00caT \u00c0 PORTER"),
    ("\u00cates-vous pr\u00eat ?", "\u00cates-vous pr\u00eat ?"),
    ("(AFP)\u00catre ou ne pas \u00eatre", "(AFP)\u00catre ou ne pas \u00eatre"),
    ("NGUY\u00caN", "NGUY\u00caN"),
    ("LI\u00c7\u00d5ES", "LI\u00c7\u00d5ES"),
])
def test_fix_unicode(raw, expected):
    assert fix_unicode(raw) == expected


def test_normalize_whitespace():
    assert normalize_whitespace("a  b\t c\r\n\r\n\r\n\r\nd \u00a0e\x07") == "a b c\n\nd e"


@pytest.mark.parametrize("line", [
    "Please enter your comment!", "Please enter your name here",
    "Read More: KRG and Finland discuss militias", "Last minute The world stood up",
    "A helicopter lands at a base. (Photo: AFP)", "Reporting by Hakim Ahmad",
    "Editing by Jane Doe", "Advertisement", "Share this article", "© 2024 Example Wire",
])
def test_boilerplate_lines_removed(line):
    text, removed = remove_boilerplate_lines(f"Gunmen attacked a village.\n{line}", PATTERNS)
    assert removed == 1 and text.strip() == "Gunmen attacked a village."


def test_repeated_lines_kept_once():
    text = "Caption of a photo\nCaption of a photo\nPolice said two died."
    assert clean_article_text(text, PATTERNS) == "Caption of a photo\nPolice said two died."


def test_article_text_is_kept():
    body = "Members of the coalition met in Rabat on Wednesday.\n\nThey discussed Africa."
    assert clean_article_text(body, PATTERNS) == body


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("Police  arrested\nTwo men") == content_hash("police arrested two men")
    assert content_hash("police arrested two men") != content_hash("police arrested three men")


def test_article_id_is_stable_and_content_sensitive():
    record = {"url": "https://x.test/a", "external_id": "7", "source": "Wire"}
    assert make_article_id(record, "h1") == make_article_id(dict(record), "h1")
    assert make_article_id(record, "h1") != make_article_id(record, "h2")
    by_id = {"external_id": "7", "source": "Wire"}
    by_file = {"input": "a.txt", "position": 0}
    assert len({make_article_id(r, "h1") for r in (record, by_id, by_file)}) == 3


@pytest.mark.parametrize("value, expected", [
    ("en", "en"), ("EN", "en"), ("en-GB", "en"), ("English", "en"), ("fra", "fr"), ("", None), (None, None),
])
def test_normalize_language_code(value, expected):
    assert normalize_language_code(value) == expected


ENGLISH_MARKERS = frozenset(read_words("english_markers.txt"))


@pytest.mark.parametrize("text, expected", [
    # English prose: its function words decide, no detector needed.
    ("Gunmen attacked a checkpoint near the town on Sunday and killed two soldiers, "
     "officials said. The army said it had sent reinforcements into the area.", True),
    # Too short to tell by its words: the detector decides.
    ("Two soldiers killed near the border.", False),
    # A headline list with few function words: the detector decides.
    ("Mortar shells hit Aleppo neighborhoods, 9 injured; rocket fire on Daraa, 3 killed; "
     "car bomb in Hama, 34 dead; clashes in Idlib, Homs, Hasakah, Deir Ezzor.", False),
    # Other languages never pass, whatever words they share with English.
    ("Des hommes armés ont attaqué un poste de contrôle près de la ville dimanche et ont "
     "tué deux soldats, a déclaré un responsable de la police.", False),
    ("Hombres armados atacaron un puesto de control cerca de la ciudad el domingo y "
     "mataron a dos soldados, dijo un funcionario.", False),
    ("Bewaffnete griffen am Sonntag einen Kontrollpunkt in der Nähe der Stadt an und "
     "töteten zwei Soldaten, was ein Sprecher bestätigte.", False),
    ("Gewapende mannen vielen zondag een controlepost aan in de buurt van de stad en "
     "doodden twee soldaten, zei een woordvoerder.", False),
    ("Orang bersenjata menyerang pos pemeriksaan di dekat kota pada hari Minggu dan "
     "menewaskan dua tentara, kata seorang pejabat.", False),
    ("Uzbrojeni napastnicy zaatakowali w niedzielę punkt kontrolny w pobliżu miasta i "
     "zabili dwóch żołnierzy, to powiedział urzędnik.", False),
    # English words, but a text mostly in another script: the detector decides.
    ("قال مسؤولون إن مسلحين هاجموا نقطة تفتيش قرب البلدة يوم الأحد وقتلوا جنديين "
     "the of and that with from", False),
])
def test_plainly_english_only_when_beyond_doubt(text, expected):
    assert plainly_english(text, ENGLISH_MARKERS) is expected


@pytest.mark.parametrize("text, sample", [
    # The detector reads a text without its capitalized words (names) ...
    ("AMISOM troops clash with al Shabaab, retake Buulo Gaduud. Two al Shabaab dead.",
     "troops clash with al retake al dead."),
    ("Workers of the 'Pattali Makkal Katchi' staged a dharna at Valliyoor.", "of the staged a dharna at"),
    # ... function words of any language stay ...
    ("Des manifestants ont bloqué la route nationale à Bamako lundi.",
     "manifestants ont bloqué la route nationale à lundi."),
    # ... and the whole text where too little would be left, or where what is left is
    # mostly a quotation (no evidence of the headline's own language either).
    ("Gunmen kill 3 in Zamfara", "Gunmen kill 3 in Zamfara"),
    ("Crowd Chanting 'azadi azadi hum leke rahenge azadi' Dispersed By Police In Srinagar",
     "Crowd Chanting 'azadi azadi hum leke rahenge azadi' Dispersed By Police In Srinagar"),
    ("POLICE ARREST 12 IN LAGOS RAID", "POLICE ARREST 12 IN LAGOS RAID"),
])
def test_the_language_detector_reads_no_names(text, sample):
    assert detection_sample(text) == sample
