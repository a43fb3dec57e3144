"""Write the chapter notebooks from compact text (the notebooks are the committed source;
run this only to regenerate them after editing here): python tools/chapters_src.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = '''kommune = "3201"
snapshot = "../data/snapshot"
params_file = ""
cache_dir = "../data/cache"'''

SETUP = '''from navbok.book.report import Report

r = Report.open(kommune, snapshot=snapshot, params_file=params_file, cache_dir=cache_dir)'''


def nb(cells: list) -> nbformat.NotebookNode:
    book = new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    first = new_code_cell(PARAMS)
    first.metadata["tags"] = ["parameters"]
    out = [first, new_code_cell(SETUP)]
    for c in cells:
        out.append(new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c))
    book.cells = out
    return book


CHAPTERS = {
    "intro": [
        "md:# Innledning",
        '''last = r.years[-1]
r.glue("navn", r.name)
r.glue("mandat", r.params.mandate)
r.glue("periode", f"{r.years[0]}–{last}")
r.glue("sisteaar", str(last))
r.glue("andel", r.text("andel_18_66", last))
r.glue("andel_asss", r.text("andel_18_66", last, "asss_snitt"))
r.glue("andel_landet", r.text("andel_18_66", last, "landet"))
r.glue("lengde", r.text("stonadslengde", last))
r.glue("lengde_asss", r.text("stonadslengde", last, "asss_snitt"))
r.glue("aap", r.text("aap_andel", last))
r.glue("aap_asss", r.text("aap_andel", last, "asss_snitt"))''',
        "md:Denne boken er en analytisk gjennomgang av sosialtjenesten i {glue:md}`navn` kommune, "
        "bygget på offentlig statistikk fra SSB og NAV for perioden {glue:md}`periode`. Alle tall "
        "er regnet ut av koden bak boken, og hver figur har tallene og kildene sine rett under seg.",
        "md:## Mandat\n\n{glue:md}`mandat`",
        "md:## Slik leser du boken\n\n"
        "Hvert kapittel sammenligner kommunen med\n\n"
        "* **ASSS-snittet**: det uveide gjennomsnittet av kommunene i ASSS-nettverket (de største "
        "kommunene), med høyeste og laveste verdi;\n"
        "* **KOSTRA-gruppen** kommunen tilhører (SSBs gruppering etter folketall og økonomi; "
        "inndelingen endret seg mellom 2019 og 2020);\n"
        "* **Landet** og **Landet uten Oslo**, som SSB publiserer dem;\n"
        "* utvalgte **nabokommuner**.\n\n"
        "Kommunenummer er harmonisert til dagens kommuneinndeling: tall for sammenslåtte kommuner er "
        "lagt sammen før andeler er regnet ut. Tall som mangler (`..`), er skjult av "
        "personvernhensyn (`:`), eller ikke kan regnes ut (`.`), vises som brudd i figurene og med "
        "SSBs symbol i tabellene – aldri som null.",
        "md:## Nøkkeltall mot ASSS-snittet",
        "r.service_profile(last)",
        "md:## Hovedfunn\n\n"
        "* I {glue:md}`sisteaar` mottok {glue:md}`andel` prosent av innbyggerne 18–66 år i "
        "{glue:md}`navn` økonomisk sosialhjelp, mot {glue:md}`andel_asss` prosent i "
        "ASSS-snittet og {glue:md}`andel_landet` prosent i landet.\n"
        "* Gjennomsnittlig stønadslengde var {glue:md}`lengde` måneder (ASSS-snitt "
        "{glue:md}`lengde_asss`).\n"
        "* Andelen på arbeidsavklaringspenger i desember var {glue:md}`aap` prosent "
        "(ASSS-snitt {glue:md}`aap_asss`).",
        'r.source_box(["andel_18_66", "andel_18_24", "andel_25_66", "stonadslengde", '
        '"stonad_per_mottaker", "utbetalt_per_innb_18_66", "netto_sos_per_innb", "andel_6mnd", '
        '"kvp_per_1000", "kvp_etter", "aap_andel"])',
    ],
    "aap": [
        "md:# Arbeidsavklaringspenger (AAP)",
        "md:Mandatet ber om en gjennomgang av andelen personer som er på arbeidsavklaringspenger, "
        "sett i forhold til sammenlignbare kommuner. AAP er en statlig ytelse; andelen er NAVs "
        "mottakere delt på innbyggerne 18–66 år. NAV viser ikke antall under fire (`*`); slike "
        "verdier står som skjult (`:`), ikke som null.",
        "md:## Andel på AAP over tid",
        'r.line("aap_andel", "aap-andel")',
        'r.source_box(["aap_andel", "andel_18_66", "aap_forholdstall"])',
    ],
    "utbetalingsvekst": [
        "md:# Utbetalingsvekst",
        "md:Kapittelet ser på nivået på og veksten i utbetalt økonomisk sosialhjelp (bidrag og lån).",
        "md:## Utbetalt per innbygger 18–66 år",
        'r.line("utbetalt_per_innb_18_66", "utbetalt-per-innbygger")',
        'r.source_box(["utbetalt_per_innb_18_66", "utbetalt", "stonadslengde", '
        '"utbetaling_per_maaned"])',
    ],
    "langtidsmottakere": [
        "md:# Langtidsmottakere",
        "md:Det finnes ingen lovfestet definisjon av langtidsmottaker. Dette kapittelet bruker "
        "KOSTRAs mål: mottakere med sosialhjelp som hovedinntekt og stønad i 6 måneder eller mer.",
        "md:## Sosialhjelp som hovedinntekt og 6 måneder eller mer",
        'r.line("andel_langtid_6mnd_hovedinntekt", "langtid-6mnd")',
        'r.source_box(["andel_langtid_6mnd_hovedinntekt", "stonadslengde_hovedinntekt"])',
    ],
    "kvp": [
        "md:# Kvalifiseringsprogrammet (KVP)",
        "md:Kvalifiseringsprogrammet er et arbeidsrettet program for personer med vesentlig nedsatt "
        "arbeidsevne og ingen eller svært begrensede ytelser, ofte langtidsmottakere av sosialhjelp.",
        "md:## Mottakere av kvalifiseringsstønad per 1 000 innbyggere 18–66 år",
        'r.line("kvp_per_1000", "kvp-per-1000")',
        'r.source_box(["kvp_per_1000", "kvp_etter"])',
    ],
    "kommunebarometer": [
        "md:# Kommunebarometeret",
        "md:Kommunal Rapports Kommunebarometer rangerer kommunene på elleve nøkkeltall for "
        "sosialtjenesten. Dette kapittelet rekonstruerer sektoren åpent fra SSBs tall.",
        "md:## Andel mottakere med arbeidsinntekt som hovedinntekt (SOS07)",
        'r.line("andel_hovedinntekt_arbeid", "sos07")',
        'r.source_box(["andel_hovedinntekt_arbeid"])',
    ],
}

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1] / "chapters"
    root.mkdir(exist_ok=True)
    for name, cells in CHAPTERS.items():
        nbformat.write(nb(cells), root / f"{name}.ipynb")
        print("wrote", root / f"{name}.ipynb")
