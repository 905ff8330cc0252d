"""Synthetic corpus: N Dutch policy documents shaped like the seeds, for the scale benchmarks.

Writes ``OUT/sources/NNNNNN_<hash>.txt`` + ``.meta.toml`` (the format of ``graph_data/sources``)
and copies the register and a minimal curation layer (``entities.toml``: people, bodies and
debates, no quote-bearing records, which name the seed documents) beside them, so that

    .venv/bin/python bench/corpus.py 1000 /tmp/corpus-1k
    lexgraph build --data-dir /tmp/corpus-1k --store /tmp/corpus-1k/build/store

runs the real pipeline (extraction, RDF, SHACL gate, store) over it. Document ``i`` depends only
on ``(seed, i)``, so a larger corpus starts with the documents of a smaller one.

Four kinds, in the proportions of a policy dossier: letters to parliament (with motions and their
appreciation, commitments "zeg ik toe", reported and kept commitments), decision notes (lettered
points under "Geadviseerd besluit" and their "Ad x)" sections), answers to written questions
("Vraag N" / "Antwoord N") and Woo answers. Sentences carry citations of every family the
extractor knows (Kamerstukken, Handelingen, Aanhangsel, Kamervragen, EU acts by number, name,
CELEX, ELI and EUR-Lex URL, COM proposals, Dutch acts, the Vb and Vc 2000, treaties, case law,
motions, commitment numbers), with pinpoints, and footnotes with superscript markers.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lexgraph.policy.text import MONTHS as DUTCH_MONTHS

ROOT = Path(__file__).resolve().parents[1]

MONTHS = tuple(DUTCH_MONTHS)  # the names the policy layer reads dates by, in month order
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SURNAMES = (
    "Van Dijk",
    "Piri",
    "Podt",
    "Boswijk",
    "Van Zanten",
    "Michon-Derkzen",
    "Boomsma",
    "Brekelmans",
    "Ceder",
    "Koekkoek",
    "El Abassi",
    "Van Baarle",
    "Kathmann",
    "Dobbe",
    "De Hoop",
    "Vijlbrief",
    "Bikker",
    "Holman",
    "Eerdmans",
    "Stoffer",
    "De Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Van Leeuwen",
    "Dekker",
    "Brouwer",
    "De Wit",
    "Dijkstra",
    "Smits",
    "De Graaf",
    "Van der Meer",
    "Van der Linden",
    "Kok",
    "Jacobs",
    "De Haan",
    "Vermeulen",
    "Van den Berg",
    "Van der Heijden",
    "Schouten",
    "Van Beek",
    "Willems",
    "Van Vliet",
    "Van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "Van Dam",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "Kuipers",
    "Van Wijk",
    "Postma",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "Van Rooij",
    "Wouters",
)
PARTIES = (
    "SP",
    "GL-PvdA",
    "D66",
    "CDA",
    "BBB",
    "VVD",
    "NSC",
    "PVV",
    "Volt",
    "CU",
    "SGP",
    "DENK",
    "JA21",
)
MINISTERS = (
    "De Minister van Asiel en Migratie",
    "De Staatssecretaris van Justitie en Veiligheid",
    "De Minister van Buitenlandse Zaken",
    "De Minister van Sociale Zaken en Werkgelegenheid",
)
TOPICS = (
    "de opvang van ontheemden uit Oekraïne",
    "het landenbeleid Oekraïne",
    "de terugkeer van Oekraïense mannen in dienstplichtige leeftijd",
    "de verlenging van de tijdelijke bescherming",
    "het transitiedocument voor Oekraïense ontheemden",
    "de gemeentelijke opvang en de bekostiging daarvan",
    "de toegang tot de arbeidsmarkt voor ontheemden",
    "de registratie in de Basisregistratie Personen",
    "het onderwijs aan Oekraïense kinderen",
    "de samenwerking met buurlanden van Oekraïne",
)
REGIONS = (
    "Kharkiv",
    "Luhansk",
    "Donetsk",
    "Zaporizhzhia",
    "Kherson",
    "Dnipropetrovsk",
    "Sumy",
    "Mykolaiv",
    "Chernihiv",
)
FILLER = (
    "Het kabinet volgt de ontwikkelingen nauwgezet en informeert uw Kamer over de voortgang.",
    "Gemeenten hebben aangegeven dat zij meer duidelijkheid nodig hebben over de bekostiging.",
    "De IND beoordeelt elke aanvraag op individuele basis en betrekt daarbij de landeninformatie.",
    "Uit de beschikbare cijfers blijkt dat het aantal ontheemden in de gemeentelijke opvang "
    "licht is gestegen.",
    "Het COA en de gemeenten werken samen om voldoende opvangplekken beschikbaar te houden.",
    "Over de uitvoering vindt regelmatig overleg plaats met de VNG en de veiligheidsregio's.",
    "De Dienst Terugkeer en Vertrek ondersteunt vreemdelingen die zelfstandig willen vertrekken.",
    "Daarbij wordt rekening gehouden met de situatie van kwetsbare groepen.",
    "Dit beleid wordt na een jaar geëvalueerd; de uitkomsten deel ik met uw Kamer.",
    "In de bijlage is een cijfermatig overzicht per oblast opgenomen.",
)

# --- citations of every family (see CITATIONS.md and tests/data/gold/passages.jsonl) -----------

EU_NAMED = (
    "Richtlijn 2001/55/EG",
    "Richtlijn 2011/95/EU",
    "Richtlijn 2013/32/EU",
    "Richtlijn 2013/33/EU",
    "Richtlijn 2008/115/EG",
    "Verordening (EU) nr. 604/2013",
    "Uitvoeringsbesluit (EU) 2022/382",
    "Verordening (EU) 2024/1347",
    "Verordening (EU) 2024/1348",
    "de Richtlijn Tijdelijke Bescherming",
    "de Kwalificatierichtlijn",
    "de Procedurerichtlijn",
    "de Opvangrichtlijn",
    "de Terugkeerrichtlijn",
    "de Dublinverordening",
)


class Writer:
    """One document's random choices; ``rng`` is seeded by (seed, index) alone."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(f"{seed}:{index}")
        self.index = index
        self.notes: list[str] = []

    # small helpers
    def pick(self, items: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(items)

    def year(self) -> int:
        return self.rng.randrange(2019, 2027)

    def date(self, lo: int = 2022, hi: int = 2027) -> tuple[int, int, int]:
        return self.rng.randrange(lo, hi), self.rng.randrange(1, 13), self.rng.randrange(1, 29)

    def date_text(self, lo: int = 2022, hi: int = 2027) -> str:
        y, m, d = self.date(lo, hi)
        return f"{d} {MONTHS[m - 1]} {y}"

    def member(self) -> tuple[str, str]:
        """A member of parliament and their party (one party per member, as in the Kamer)."""
        n = self.rng.randrange(len(SURNAMES))
        return SURNAMES[n], PARTIES[n % len(PARTIES)]

    def session(self) -> tuple[int, str]:
        y = self.rng.randrange(2019, 2026)
        return y, f"{y}/{(y + 1) % 100:02d}"

    # one generator per citation family
    def kamerstuk(self) -> str:
        y, s = self.session()
        dossier = self.pick(("19 637", "36 045", "21 501-20", "36 600 VI", "30 573", "36 334"))
        n = self.rng.randrange(100, 3500)
        form = self.rng.randrange(4)
        if form == 0:
            return f"Kamerstukken II {s}, {dossier}, nr. {n}"
        if form == 1:
            return f"Kamerstukken II, vergaderjaar {y}-{y + 1}, {dossier}, nummer {n}"
        if form == 2:
            return f"kst-{dossier.replace(' ', '')}-{n}"
        return f"Kamerstukken II {s}, 19 637 en 36 045, nr. {n}"

    def handelingen(self) -> str:
        y, s = self.session()
        n, item = self.rng.randrange(1, 110), self.rng.randrange(1, 30)
        if self.rng.random() < 0.3:
            return f"h-tk-{y}{y + 1}-{n}-{item}"
        return f"Handelingen II {s}, nr. {n}, item {item}"

    def aanhangsel(self) -> str:
        y, s = self.session()
        n = self.rng.randrange(100, 4000)
        if self.rng.random() < 0.3:
            return f"ah-tk-{y}{y + 1}-{n}"
        return f"Aanhangsel Handelingen II {s}, nr. {n}"

    def kamervraag(self) -> str:
        return f"{self.year()}Z{self.rng.randrange(1, 25000):05d}"

    def eu_act(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return self.pick(EU_NAMED)
        y, n = self.rng.randrange(2000, 2026), self.rng.randrange(1, 2000)
        if r < 0.7:
            return f"Uitvoeringsbesluit (EU) {y}/{n}"
        if r < 0.8:
            return f"Verordening (EU) {y}/{n}"
        if r < 0.87:
            return f"CELEX 3{y}R{n:04d}"
        if r < 0.94:
            return "http://data.europa.eu/eli/dir/2001/55/oj"
        return "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32013R0604"

    def eu_pinpoint(self) -> str:
        art = self.rng.randrange(1, 40)
        return self.pick(
            (
                f"artikel {art}, onder c, van de Kwalificatierichtlijn",
                f"artikel {art}, eerste lid, aanhef en onder b, van de Procedurerichtlijn",
                f"art. {self.rng.randrange(1, 30)}.{self.rng.randrange(1, 4)} RTB",
                f"artikel {art} van de Opvangrichtlijn",
            )
        )

    def proposal(self) -> str:
        return f"COM({self.rng.randrange(2015, 2026)}) {self.rng.randrange(100, 900)}"

    def nl_act(self) -> str:
        return self.pick(
            (
                f"artikel {self.rng.randrange(14, 45)}, eerste lid, van de Vreemdelingenwet 2000",
                f"artikel 8:{self.rng.randrange(60, 90)} Awb",
                "de Wet open overheid (Woo)",
                "de Wet inburgering 2021",
                "de Wet verplaatsing bevolking",
            )
        )

    def nl_regulation(self) -> str:
        return f"artikel 3.{self.rng.randrange(1, 110)}a Vb 2000"

    def policy_rule(self) -> str:
        return self.pick(
            (
                f"paragraaf C2/3.{self.rng.randrange(1, 9)} van de Vc 2000",
                f"B8/{self.rng.randrange(1, 9)} Vc 2000",
            )
        )

    def treaty(self) -> str:
        return self.pick(
            (
                "art. 3 EVRM",
                "artikel 8 EVRM",
                "artikel 7 IVBPR",
                "artikel 33 van het Vluchtelingenverdrag",
                "artikel 78 VWEU",
            )
        )

    def case_law(self) -> str:
        y = self.rng.randrange(2015, 2026)
        return self.pick(
            (
                f"ECLI:NL:RVS:{y}:{self.rng.randrange(100, 4000)}",
                f"ECLI:EU:C:{y}:{self.rng.randrange(100, 999)}",
                f"zaak C-{self.rng.randrange(100, 800)}/{y % 100:02d}",
                f"ECLI:NL:RBDHA:{y}:{self.rng.randrange(1000, 20000)}",
            )
        )

    def footnote(self, text: str) -> str:
        """A superscript marker now; the note line is written at the end of the section."""
        self.notes.append(text)
        return "".join(SUPERSCRIPT[int(d)] for d in str(len(self.notes)))

    # sentences with citations
    def citing_sentence(self) -> str:
        topic = self.pick(TOPICS)
        options: tuple[Callable[[], str], ...] = (
            lambda: f"Zoals gemeld in {self.kamerstuk()} blijft dit beleid ongewijzigd.",
            lambda: f"Ik verwijs naar mijn brief van {self.date_text()} ({self.kamerstuk()}).",
            lambda: (
                f"Tijdens het debat (Handelingen II {self.session()[1]}, nr. "
                f"{self.rng.randrange(1, 99)}, item {self.rng.randrange(1, 20)}) is gesproken over "
                f"{topic}."
            ),
            lambda: f"De antwoorden zijn gepubliceerd als {self.aanhangsel()}.",
            lambda: f"Het verslag van het debat staat in {self.handelingen()}.",
            lambda: (
                f"Vragen van het lid {self.member()[0]} over {topic} ({self.kamervraag()}) "
                "zijn eerder beantwoord."
            ),
            lambda: (
                f"Op grond van {self.eu_act()} geldt de tijdelijke bescherming voor deze groep."
            ),
            lambda: (
                f"Op grond van {self.eu_pinpoint()} kan subsidiaire bescherming worden verleend."
            ),
            lambda: f"Het voorstel van de Commissie ({self.proposal()}) ligt nog voor.",
            lambda: f"De aanvraag is afgewezen op grond van {self.nl_act()}.",
            lambda: f"Dit volgt uit {self.nl_regulation()} en {self.policy_rule()}.",
            lambda: f"Uitzetting is in strijd met {self.treaty()} als een reëel risico bestaat.",
            lambda: f"De Afdeling oordeelde zo ({self.case_law()}); zie ook {self.case_law()}.",
            lambda: (
                f"Het kabinet houdt rekening met {self.eu_act()}"
                f"{self.footnote(self.eu_act().removeprefix('de '))} bij {topic}."
            ),
            lambda: (
                f"De toezegging (TZ{self.year()}{self.rng.randrange(1, 13):02d}-"
                f"{self.rng.randrange(1, 400):03d}) over {topic} is hiermee afgedaan."
            ),
            lambda: (
                f"De motie van het lid {self.member()[0]} c.s. ({self.kamerstuk()}) vraagt om "
                "een onderzoek naar " + topic + "."
            ),
            lambda: (
                f"De tijdelijke bescherming is verlengd tot en met 4 maart "
                f"{self.rng.randrange(2025, 2029)}."
            ),
            lambda: (
                "Het einde van de tijdelijke bescherming is voorzien voor 4 maart "
                f"{self.rng.randrange(2026, 2029)}.{self.footnote(self.kamerstuk())}"
            ),
        )
        return self.rng.choice(options)()

    def paragraph(self, sentences: int) -> str:
        out = []
        for _ in range(sentences):
            out.append(self.citing_sentence() if self.rng.random() < 0.6 else self.pick(FILLER))
        return " ".join(out)

    def flush_notes(self) -> str:
        notes, self.notes = self.notes, []
        return "\n\n".join(
            f"{''.join(SUPERSCRIPT[int(d)] for d in str(n))} {t}" for n, t in enumerate(notes, 1)
        )

    def commitment(self) -> str:
        y, m, d = self.date(2026, 2028)
        return self.pick(
            (
                f"Ik zeg uw Kamer toe dat ik u vóór {d} {MONTHS[m - 1]} {y} informeer over "
                f"{self.pick(TOPICS)}.",
                f"Voor het zomerreces zeg ik toe uw Kamer te informeren over {self.pick(TOPICS)}.",
                f"{self.pick(MINISTERS)} zegde toe dat uw Kamer een brief over "
                f"{self.pick(TOPICS)} zou ontvangen. Die toezegging doe ik hierbij gestand.",
                f"Zoals toegezegd in het commissiedebat informeer ik u over {self.pick(TOPICS)}.",
            )
        )

    def motion(self) -> str:
        (a, party), b = self.member(), self.pick(SURNAMES)
        appreciation = self.pick(
            (
                "Gelet op het voorgaande ontraad ik de motie.",
                "Het oordeel over deze motie laat ik aan uw Kamer.",
                "Ik laat de motie aan het oordeel van de Kamer.",
                "Deze motie neem ik over.",
            )
        )
        opening = self.pick(
            (
                f"Tijdens het tweeminutendebat is door het lid {a} ({party}) een motie ingediend "
                f"over {self.pick(TOPICS)}.",
                f"De motie van de leden {a} en {b} ({self.kamerstuk()}) verzoekt de regering "
                f"{self.pick(TOPICS)} te herzien.",
                f"De motie-{a}/{b} vraagt om meer duidelijkheid over {self.pick(TOPICS)}.",
            )
        )
        return f"{opening} {self.paragraph(2)} {appreciation}"


def letterhead(w: Writer, reference: str, when: str, subject: str) -> str:
    return (
        "\n\n> Retouradres Postbus 20301 2500 EH Den Haag\n\n"
        "Aan de Voorzitter van de Tweede Kamer\nder Staten-Generaal\nPostbus 20018\n"
        "2500 EA DEN HAAG\n\nDirectoraat-Generaal Migratie\nDirectie Migratiebeleid\n\n"
        "Turfmarkt 147\n2511 DP Den Haag\nwww.rijksoverheid.nl/jenv\n\n"
        f"Onze referentie\n{reference}\n\nDatum {when}\nBetreft {subject}\n\n"
    )


def letter(w: Writer, reference: str, when: str) -> tuple[str, str, str]:
    topic = w.pick(TOPICS)
    subject = f"Verzamelbrief over {topic}"
    parts = [letterhead(w, reference, when, subject)]
    parts.append(f"Met deze brief informeer ik uw Kamer over {topic}. " + w.paragraph(3))
    for _ in range(w.rng.randrange(4, 9)):
        parts.append(w.paragraph(w.rng.randrange(3, 7)))
    parts.append(w.motion())
    parts.append(w.commitment() + " " + w.paragraph(2))
    if w.notes:
        parts.append(w.flush_notes())
    parts.append(f"{w.pick(MINISTERS).removeprefix('De ')},\n\nBart van den Brink\n")
    return "\n\n".join(parts), subject, "parliamentary-letter"


def decision_note(w: Writer, reference: str, when: str) -> tuple[str, str, str]:
    topic = w.pick(TOPICS)
    subject = f"Beslisnota over {topic}"
    letters = "abcde"[: w.rng.randrange(2, 6)]
    points = "\n".join(
        f" - {x}. {w.pick(('Een beleid', 'Een regeling', 'Geen bijzonder beleid'))} ten aanzien "
        f"van de oblast {w.pick(REGIONS)} op grond van {w.eu_pinpoint()};"
        for x in letters
    )
    ads = "\n\n".join(f"Ad {x}) {w.pick(REGIONS)}\n\n{w.paragraph(3)}" for x in letters)
    text = (
        "\n\nMinister van Asiel en Migratie\n\nDirectoraat-Generaal Migratie\n"
        f"Directie Migratiebeleid\n\nnota\n\n{subject}\n\nOnze referentie\n{reference}\n\n"
        f"Datum\n{when}\n\n1. Aanleiding\n\n{w.paragraph(2)}\n\n2. Geadviseerd besluit\n\n"
        f"- 1) Ik verzoek u ermee in te stemmen dat het beleid langs de volgende lijnen wordt "
        f"gevoerd:\n{points}\n\n3. Kernpunten\n\n- {w.paragraph(2)}\n- {w.paragraph(2)}\n\n"
        f"4. Toelichting\n\n{ads}\n\n{w.paragraph(3)}\n\n"
    )
    if w.notes:
        text += w.flush_notes() + "\n"
    return text, subject, "decision-note"


def answers(w: Writer, reference: str, when: str) -> tuple[str, str, str]:
    name, party = w.member()
    topic = w.pick(TOPICS)
    subject = f"Antwoord op vragen van het lid {name} over {topic}"
    parts = [
        f"Vragen van het lid {name} ({party}) aan de Minister van Asiel en Migratie over {topic} "
        f"(ingezonden {w.date_text()}).",
        f"Antwoord van de Minister van Asiel en Migratie (ontvangen {when}).",
    ]
    for n in range(1, w.rng.randrange(4, 10)):
        question = w.pick(
            (
                f"Bent u bekend met het bericht over {w.pick(TOPICS)}?",
                f"Kunt u aangeven hoe {w.eu_act()} hierop van toepassing is?",
                f"Deelt u de mening dat {topic} verbetering behoeft?",
                f"Hoeveel ontheemden verblijven in de opvang in {w.pick(REGIONS)}?",
            )
        )
        parts.append(f"Vraag {n}\n{question}")
        parts.append(f"Antwoord {n}\n{w.pick(('Ja.', 'Nee.', ''))} {w.paragraph(4)}".strip())
    if w.notes:
        parts.append(w.flush_notes())
    return "\n\n".join(parts) + "\n", subject, "answers-to-written-questions"


def woo_answer(w: Writer, reference: str, when: str) -> tuple[str, str, str]:
    topic = w.pick(TOPICS)
    subject = f"Beantwoording informatieverzoek over {topic}"
    parts = [letterhead(w, reference, when, subject)]
    parts.append(
        f"Op grond van de Wet open overheid (Woo) heeft u verzocht om informatie over {topic}. "
        + w.paragraph(2)
    )
    questions = "\n".join(
        f"{n}. {w.pick(('Welke afspraken', 'Welke documenten', 'Welke besluiten'))} zijn er "
        f"gemaakt over {w.pick(TOPICS)}?"
        for n in range(1, w.rng.randrange(3, 6))
    )
    parts.append(f"U stelt de volgende vragen:\n\n{questions}")
    parts.append(w.paragraph(4))
    parts.append(w.paragraph(5))
    parts.append(w.commitment())
    if w.notes:
        parts.append(w.flush_notes())
    return "\n\n".join(parts) + "\n", subject, "woo-answer"


KINDS = ((letter, 4), (decision_note, 2), (answers, 3), (woo_answer, 1))


def document(seed: int, index: int) -> tuple[str, dict[str, str]]:
    """The text and metadata of document ``index``."""
    w = Writer(seed, index)
    make = w.rng.choices([k for k, _ in KINDS], weights=[n for _, n in KINDS])[0]
    y, m, d = w.date(2022, 2027)
    when = f"{d} {MONTHS[m - 1]} {y}"
    reference = str(8_000_000 + index)
    text, subject, doc_type = make(w, reference, when)
    meta = {
        "document_id": reference,
        "type": doc_type,
        "title": subject[:1].upper() + subject[1:],
        "date": f"{y}-{m:02d}-{d:02d}",
        "reference": reference,
        "sender": "Minister van Asiel en Migratie",
        "addressee": "Voorzitter van de Tweede Kamer der Staten-Generaal",
        "subject": subject,
        "language": "nl",
        "added": "2026-11-22",
        "source_note": f"Synthetic document {index} (bench/corpus.py, seed {seed}).",
    }
    if doc_type == "answers-to-written-questions":
        del meta["reference"]
        meta["document_id"] = f"{meta['date']}-antwoorden-{index}"
    return text, meta


def _toml_value(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_corpus(out: Path, count: int, seed: int = 1, *, progress: bool = False) -> int:
    """Write ``count`` documents and the register/curation beside them; returns bytes of text."""
    sources = out / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    for old in sources.glob("*"):
        old.unlink()
    (out / "register").mkdir(exist_ok=True)
    shutil.copy2(
        ROOT / "graph_data" / "register" / "instruments.toml",
        out / "register" / "instruments.toml",
    )
    curation = out / "curation"
    if curation.exists():
        shutil.rmtree(curation)
    curation.mkdir()
    shutil.copy2(ROOT / "graph_data" / "curation" / "entities.toml", curation / "entities.toml")
    total = 0
    started = last = time.perf_counter()
    for i in range(count):
        text, meta = document(seed, i)
        data = text.encode("utf-8")
        stem = f"{i:06d}_{hashlib.sha256(data).hexdigest()[:16]}"
        (sources / f"{stem}.txt").write_bytes(data)
        lines = [f"# Synthetic document {i} of bench/corpus.py (seed {seed})."]
        lines += [f"{k} = {_toml_value(v)}" for k, v in meta.items()]
        (sources / f"{stem}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += len(data)
        now = time.perf_counter()
        if progress and now - last > 2:
            last = now
            rate = (i + 1) / (now - started)
            print(f"corpus: {i + 1}/{count} documents ({rate:,.0f}/s)", file=sys.stderr)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of documents")
    parser.add_argument("out", type=Path, help="data folder to write (sources/ is replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    size = write_corpus(args.out, args.count, args.seed, progress=sys.stderr.isatty())
    print(
        f"wrote {args.count} documents ({size / 1e6:.1f} MB) to {args.out / 'sources'} "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
