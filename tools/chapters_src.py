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
r.glue("aap_asss", r.text("aap_andel", last, "asss_snitt"))
_, aap = r.aap_ratio(r.params.aap_year)
r.glue("aap_aar", str(r.params.aap_year))
r.glue("ratio", aap["ratio"])
r.glue("ratio_asss", aap["ratio_asss"])
*_, g = r.growth_decomposition()
for key in ("aar0", "aar1", "g_T", "andel_L", "driver", "g_asss"):
    r.glue(key, g[key])
for key, text in r.barometer_summary().items():
    r.glue(key, text)''',
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
        "(ASSS-snitt {glue:md}`aap_asss`). I {glue:md}`aap_aar` var det {glue:md}`ratio` "
        "AAP-mottakere per sosialhjelpsmottaker, mot {glue:md}`ratio_asss` i ASSS-snittet.\n"
        "* Utbetalt sosialhjelp økte med {glue:md}`g_T` fra {glue:md}`aar0` til "
        "{glue:md}`aar1` (ASSS samlet {glue:md}`g_asss`). Veksten kom mest fra "
        "{glue:md}`driver`; stønadslengden alene forklarer {glue:md}`andel_L` av den.\n"
        "* I en åpen rekonstruksjon av Kommunebarometeret {glue:md}`kb_aar` får kommunen "
        "plass {glue:md}`kb_plass` av {glue:md}`kb_antall` i sektoren sosialtjeneste.",
        'r.source_box(["andel_18_66", "andel_18_24", "andel_25_66", "stonadslengde", '
        '"stonad_per_mottaker", "utbetalt_per_innb_18_66", "netto_sos_per_innb", "andel_6mnd", '
        '"kvp_per_1000", "kvp_etter", "aap_andel"])',
    ],
    "aap": [
        "md:# Arbeidsavklaringspenger (AAP)",
        "md:Mandatet ber om en gjennomgang av andelen personer som er på arbeidsavklaringspenger "
        "(AAP), sett i forhold til sammenlignbare kommuner. AAP er en statlig ytelse fra NAV til "
        "personer med nedsatt arbeidsevne. Andelen her er NAVs mottakere delt på innbyggerne "
        "18–66 år. NAV viser ikke antall under fire (`*`); slike verdier står som skjult (`:`) og "
        "aldri som null. Sammenligningsgrupper som summeres fra kommunene (KOSTRA-gruppe, fylke), "
        "mangler et år der et medlem er skjult.",
        '''last = r.years[-1]
ratio_table, t = r.aap_ratio(r.params.aap_year)
r.glue("navn", r.name)
r.glue("aar", str(last))
r.glue("aap_aar", str(r.params.aap_year))
r.glue("aap", r.text("aap_andel", last))
r.glue("aap_asss", r.text("aap_andel", last, "asss_snitt"))
r.glue("aap_landet", r.text("aap_andel", last, "landet"))
r.glue("aap_forste", r.text("aap_andel", r.years[0]))
r.glue("forste", str(r.years[0]))
r.glue("aap_plass", r.asss_position("aap_andel", last))
r.glue("ratio", t["ratio"])
r.glue("ratio_asss", t["ratio_asss"])
r.glue("sos", t["sos_andel"])
r.glue("forventet", t["forventet"])
r.glue("aap_y", r.text("aap_andel", r.params.aap_year))
r.glue("ratio_plass", r.asss_position("aap_forholdstall", r.params.aap_year))''',
        "md:## AAP-andelen over tid\n\n"
        "I desember {glue:md}`aar` mottok {glue:md}`aap` prosent av innbyggerne 18–66 år i "
        "{glue:md}`navn` AAP, mot {glue:md}`aap_asss` prosent i ASSS-snittet og "
        "{glue:md}`aap_landet` prosent i landet. Blant ASSS-kommunene er andelen "
        "{glue:md}`aap_plass`. I {glue:md}`forste` var andelen {glue:md}`aap_forste` prosent.",
        'r.line("aap_andel", "aap-andel")',
        "md:NAVs filer i datagrunnlaget dekker desember hvert år og enkelte andre måneder. "
        "Figuren under viser alle måneder som finnes, på en felles tidsakse.",
        "r.aap_months()",
        "md:## AAP sett opp mot sosialhjelp\n\n"
        "Kildedokumentet sammenligner AAP-andelen med andelen som mottar økonomisk sosialhjelp. "
        "Forholdstallet er AAP-andelen delt på sosialhjelpsandelen: hvor mange AAP-mottakere det "
        "er per sosialhjelpsmottaker. I {glue:md}`aap_aar` var forholdstallet {glue:md}`ratio` i "
        "{glue:md}`navn` mot {glue:md}`ratio_asss` i ASSS-snittet ({glue:md}`ratio_plass` blant "
        "ASSS-kommunene).",
        "ratio_table",
        "md:**Forventet AAP-andel.** Hvis {glue:md}`navn` hadde hatt samme forholdstall som "
        "ASSS-snittet, ville AAP-andelen med kommunens sosialhjelpsandel ({glue:md}`sos` "
        "prosent) vært om lag {glue:md}`forventet` prosent "
        "(sosialhjelpsandel × ASSS-forholdstall). Den faktiske andelen var {glue:md}`aap_y` "
        "prosent. Regnestykket forutsetter at AAP og sosialhjelp trekker fra samme befolkning i "
        "samme forhold i alle kommuner; forskjeller i befolkningssammensetning, helse og "
        "arbeidsmarked kan forklare avvik uten at praksis er ulik.",
        'r.line("aap_forholdstall", "aap-forholdstall")',
        'r.local_section("kontekst", "Sosioøkonomisk kontekst", "Tabellen er hentet fra '
        'kommunens egne data eller et publisert kildedokument (se kilden under tabellen). '
        'Den er ikke regnet ut fra datagrunnlaget i denne boken.")',
        'r.local_section("aap_status", "Status etter AAP", "Hva skjer med mottakerne når '
        'AAP-perioden slutter? Tallene er kommunens eller NAVs egne og er ikke regnet ut fra '
        'datagrunnlaget i denne boken.")',
        'r.source_box(["aap_andel", "aap_andel_februar", "andel_18_66", "aap_forholdstall"])',
    ],
    "utbetalingsvekst": [
        "md:# Utbetalingsvekst",
        "md:Kapitlet ser på nivået på og veksten i utbetalt økonomisk sosialhjelp (bidrag og lån) "
        "og på hva veksten består av: flere mottakere, lengre stønadsperioder eller høyere "
        "utbetaling per måned. Beløpene er løpende kroner (nominelle) der ikke annet står.",
        '''last = r.years[-1]
y0, y1 = r.params.growth_period
waterfall, growth_table, kroner_table, g = r.growth_decomposition()
for key, text in g.items():
    r.glue(key, text)
r.glue("navn", r.name)
r.glue("aar", str(last))
r.glue("utb", r.text("utbetalt_per_innb_18_66", last))
r.glue("utb_asss", r.text("utbetalt_per_innb_18_66", last, "asss_snitt"))
r.glue("utb_vs_asss", r.relative_difference("utbetalt_per_innb_18_66", last, "asss_snitt"))
r.glue("utb_vs_landet", r.relative_difference("utbetalt_per_innb_18_66", last, "landet"))
r.glue("utb_y1_vs_asss", r.relative_difference("utbetalt_per_innb_18_66", y1, "asss_snitt"))
r.glue("utb_y1_vs_landet", r.relative_difference("utbetalt_per_innb_18_66", y1, "landet"))
r.glue("utb_plass", r.asss_position("utbetalt_per_innb_18_66", last))''',
        "md:## Nivå\n\n"
        "I {glue:md}`aar` ble det utbetalt {glue:md}`utb` kroner i økonomisk sosialhjelp per "
        "innbygger 18–66 år i {glue:md}`navn` (ASSS-snitt {glue:md}`utb_asss` kroner; "
        "{glue:md}`utb_plass` blant ASSS-kommunene). Det er {glue:md}`utb_vs_asss` "
        "ASSS-snittet og {glue:md}`utb_vs_landet` landet. I {glue:md}`aar1` var "
        "{glue:md}`navn` {glue:md}`utb_y1_vs_asss` ASSS-snittet og "
        "{glue:md}`utb_y1_vs_landet` landet.\n\n"
        "*Konvensjon:* forskjellen er (kommunen − sammenligningen) / sammenligningen. "
        "Kildedokumentet regner noen ganger motsatt vei («ASSS ligger 19 % over»), som gir et "
        "annet tall for samme forskjell.",
        'r.bars("utbetalt_per_innb_18_66", last, "utbetalt-per-innbygger-asss")',
        'r.line("utbetalt_per_innb_18_66", "utbetalt-per-innbygger")',
        'r.level_table(["utbetalt_per_innb_18_66", "netto_sos_per_innb", "netto_281_per_innb", '
        '"netto_243_per_innb", "stonad_per_mottaker", "andel_18_66", "andel_18_24", "andel_25_66", '
        '"andel_forsorger_barn"], "prioritering-og-behov", "Prioritering og behov: nøkkeltall for '
        'de tre siste årene og ASSS (løpende kroner; andeler i prosent)")',
        'r.line("netto_sos_per_innb", "netto-driftsutgifter")',
        'r.line("stonad_per_mottaker", "stonad-per-mottaker")',
        "md:## Dekningsgrad\n\n"
        "Dekningsgraden er andelen av innbyggerne i en aldersgruppe som mottok sosialhjelp i "
        "løpet av året. Tallene er ikke justert for utgiftsbehov; datagrunnlaget har ikke "
        "kostnadsnøkkelen som trengs for det.",
        'r.line("andel_18_24", "dekningsgrad-18-24")',
        'r.line("andel_25_66", "dekningsgrad-25-66")',
        'r.line("andel_18_66", "dekningsgrad-18-66")',
        'r.line("andel_forsorger_barn", "forsorger-barn")',
        "md:## Hva veksten består av\n\n"
        "Samlet utbetaling T kan skrives som antall mottakere N ganger stønadsmåneder per "
        "mottaker L ganger utbetaling per stønadsmåned P: T = N · L · P. Da er "
        "1 + vekst(T) = (1 + vekst(N)) · (1 + vekst(L)) · (1 + vekst(P)), og veksten i T er "
        "summen av de tre vekstratene pluss en kombinasjonseffekt (produktene av dem).\n\n"
        "Fra {glue:md}`aar0` til {glue:md}`aar1` økte utbetalingene i {glue:md}`navn` med "
        "{glue:md}`g_T`: {glue:md}`g_N` fra flere mottakere, {glue:md}`g_L` fra lengre "
        "stønadsperioder, {glue:md}`g_P` fra høyere utbetaling per stønadsmåned og "
        "{glue:md}`komb` i kombinasjonseffekt. Det meste av veksten kom fra "
        "{glue:md}`driver`: stønadslengden alene står for {glue:md}`andel_L` av veksten "
        "({glue:md}`lmdi_L` med logaritmisk dekomponering). ASSS-kommunene samlet vokste med "
        "{glue:md}`g_asss`, {glue:md}`diff_asss` prosentpoeng forskjell.",
        "waterfall",
        "growth_table",
        "kroner_table",
        "md:## Vekst år for år",
        'annual_chart, annual_table = r.annual_growth()\nannual_chart',
        "annual_table",
        "md:## Faktiske utgifter mot beregnet behov (Proba 2017)\n\n"
        "Proba samfunnsanalyse beregnet for KS hva hver kommune «burde» bruke på sosialhjelp "
        "gitt befolkningens sammensetning og levekår, og sammenlignet med faktiske utgifter "
        "(indeks 100 = utgifter lik beregnet behov). Figuren viser de publiserte tallene for "
        "2012–2016. De er et historisk resultat og er ikke regnet ut på nytt her.",
        "r.proba()",
        'r.source_box(["utbetalt_per_innb_18_66", "utbetalt", "mottakere", "stonadslengde", '
        '"utbetaling_per_maaned", "netto_sos_per_innb", "netto_281_per_innb", '
        '"netto_243_per_innb", "stonad_per_mottaker", "andel_18_66", "andel_18_24", '
        '"andel_25_66", "andel_forsorger_barn"])',
    ],
    "langtidsmottakere": [
        "md:# Langtidsmottakere",
        "md:Det finnes ingen lovfestet definisjon av en langtidsmottaker av sosialhjelp. Kapitlet "
        "bruker SSBs mål: hvor lenge mottakerne får stønad i løpet av året (stønadslengde), og "
        "hvor mange som har sosialhjelp som viktigste kilde til livsopphold (hovedinntekt) og "
        "samtidig stønad i 6 eller 10 måneder eller mer. Antall mottakere gjelder personer som "
        "fikk stønad i løpet av året, ikke på et tidspunkt.",
        '''last = r.years[-1]
r.glue("navn", r.name)
r.glue("aar", str(last))
r.glue("forste", str(r.years[0]))
r.glue("lt10", r.text("langtid_10mnd_hovedinntekt", last))
r.glue("lt10_forste", r.text("langtid_10mnd_hovedinntekt", r.years[0]))
r.glue("lt10_andel", r.text("andel_langtid_10mnd_hovedinntekt", last))
r.glue("lt6", r.text("andel_langtid_6mnd_hovedinntekt", last))
r.glue("lt6_asss", r.text("andel_langtid_6mnd_hovedinntekt", last, "asss_snitt"))
r.glue("lt6_plass", r.asss_position("andel_langtid_6mnd_hovedinntekt", last))
r.glue("lengde", r.text("stonadslengde_hovedinntekt", last))
r.glue("lengde_asss", r.text("stonadslengde_hovedinntekt", last, "asss_snitt"))
r.glue("lengde_kg", r.text("stonadslengde_hovedinntekt", last, "kostragruppe"))''',
        "md:## Lange stønadsforløp med sosialhjelp som hovedinntekt\n\n"
        "I {glue:md}`aar` hadde {glue:md}`lt10` mottakere i {glue:md}`navn` stønad i 10 måneder "
        "eller mer og sosialhjelp som hovedinntekt ({glue:md}`lt10_andel` prosent av "
        "mottakerne), mot {glue:md}`lt10_forste` i {glue:md}`forste`.",
        'r.line("langtid_10mnd_hovedinntekt", "langtid-10mnd-antall", kinds=("kommune", "nabo"))',
        'r.line("andel_langtid_10mnd_hovedinntekt", "langtid-10mnd-andel")',
        "md:Med 6 måneder som grense var andelen {glue:md}`lt6` prosent, mot {glue:md}`lt6_asss` "
        "prosent i ASSS-snittet ({glue:md}`lt6_plass` blant ASSS-kommunene).",
        'r.bars("andel_langtid_6mnd_hovedinntekt", last, "langtid-6mnd-asss")',
        'r.line("andel_langtid_6mnd_hovedinntekt", "langtid-6mnd")',
        "md:## Alle med stønad i 6 og 10 måneder eller mer\n\n"
        "Kommunebarometeret bruker andelen av alle mottakere med stønad i 6 og 10 måneder eller "
        "mer, uansett hovedinntekt (nøkkeltallene SOS05 og SOS06).",
        'r.line("andel_6mnd", "andel-6mnd")',
        'r.line("andel_10mnd", "andel-10mnd")',
        "md:## Stønadslengde\n\n"
        "Mottakere med sosialhjelp som hovedinntekt fikk i snitt stønad i {glue:md}`lengde` "
        "måneder i {glue:md}`aar` (ASSS-snitt {glue:md}`lengde_asss`, KOSTRA-gruppen "
        "{glue:md}`lengde_kg`).",
        'r.line("stonadslengde_hovedinntekt", "stonadslengde-hovedinntekt")',
        'r.indicator_lines(["stonadslengde", "stonadslengde_18_24", "stonadslengde_25_66", '
        '"stonadslengde_hovedinntekt"], "stonadslengde-grupper", f"Stønadslengde etter gruppe, '
        '{r.name}", "Gjennomsnittlig antall måneder med stønad i året for alle mottakere, '
        '18–24 år, 25–66 år og mottakere med sosialhjelp som hovedinntekt.")',
        "md:## Hovedinntekt\n\n"
        "Datagrunnlaget skiller mellom mottakere med sosialhjelp og med arbeidsinntekt som "
        "viktigste kilde til livsopphold. En finere fordeling (trygd, AAP, introduksjonsstønad, "
        "kvalifiseringsstønad og andre) finnes i SSBs tabeller over hovedinntektskilde, men er "
        "ikke med i datagrunnlaget; kommunens egne fagsystemtall kan legges inn som lokale data.",
        'r.indicator_lines(["andel_hovedinntekt_sosialhjelp", "andel_hovedinntekt_arbeid"], '
        '"hovedinntekt", f"Mottakere etter hovedinntekt, {r.name}", "Andel av mottakerne med '
        'sosialhjelp og med arbeidsinntekt som viktigste kilde til livsopphold. Resten har '
        'andre hovedinntekter.", unit="prosent av mottakerne")',
        'r.level_table(["andel_langtid_6mnd_hovedinntekt", "andel_langtid_10mnd_hovedinntekt", '
        '"andel_6mnd", "andel_10mnd", "stonadslengde_hovedinntekt", "stonadslengde_18_24", '
        '"stonadslengde_25_66", "andel_hovedinntekt_sosialhjelp", "andel_hovedinntekt_arbeid"], '
        '"langtid-nivaa", "Langtidsmottak: nøkkeltall for de tre siste årene og ASSS")',
        'r.local_section("hovedinntekt", "Hovedinntekt og forsørgeransvar (fagsystem)", '
        '"Tall fra kommunens fagsystem, levert som lokale data.")',
        'r.local_section("bosituasjon", "Bosituasjon (fagsystem)", "Tall fra kommunens '
        'fagsystem, levert som lokale data.")',
        'r.source_box(["langtid_10mnd_hovedinntekt", "andel_langtid_10mnd_hovedinntekt", '
        '"andel_langtid_6mnd_hovedinntekt", "andel_6mnd", "andel_10mnd", "stonadslengde", '
        '"stonadslengde_18_24", "stonadslengde_25_66", "stonadslengde_hovedinntekt", '
        '"andel_hovedinntekt_sosialhjelp", "andel_hovedinntekt_arbeid"])',
    ],
    "kvp": [
        "md:# Kvalifiseringsprogrammet (KVP)",
        "md:Kvalifiseringsprogrammet er et arbeidsrettet program for personer med vesentlig "
        "nedsatt arbeidsevne og ingen eller svært begrensede ytelser, ofte langtidsmottakere av "
        "sosialhjelp. Deltakerne får kvalifiseringsstønad. Små tall som SSB har skjult av "
        "personvernhensyn (`:`), forblir skjult her.",
        '''last = r.years[-1]
r.glue("navn", r.name)
r.glue("aar", str(last))
r.glue("kvp", r.text("kvp_per_1000", last))
r.glue("kvp_asss", r.text("kvp_per_1000", last, "asss_snitt"))
r.glue("kvp_plass", r.asss_position("kvp_per_1000", last))
r.glue("etter", r.text("kvp_etter", last))
r.glue("etter_asss", r.text("kvp_etter", last, "asss_snitt"))
r.glue("etter_plass", r.asss_position("kvp_etter", last))
r.glue("av6", r.text("kvp_andel_av_6mnd", last))
r.glue("av6_landet", r.text("kvp_andel_av_6mnd", last, "landet"))''',
        "md:## Deltakere per 1 000 innbyggere\n\n"
        "I {glue:md}`aar` mottok {glue:md}`kvp` per 1 000 innbyggere 18–66 år i {glue:md}`navn` "
        "kvalifiseringsstønad, mot {glue:md}`kvp_asss` i ASSS-snittet ({glue:md}`kvp_plass` "
        "blant ASSS-kommunene).",
        'r.line("kvp_per_1000", "kvp-per-1000")',
        "md:## Etter programmet\n\n"
        "Av deltakerne som avsluttet programmet i {glue:md}`aar`, gikk {glue:md}`etter` prosent "
        "til arbeid, skole eller utdanning (ASSS-snitt {glue:md}`etter_asss`; "
        "{glue:md}`etter_plass` blant ASSS-kommunene). Andelen bygger på få personer i mindre "
        "kommuner og svinger mye fra år til år.",
        'r.bars("kvp_etter", last, "kvp-etter-asss")',
        'r.line("kvp_etter", "kvp-etter")',
        "md:## KVP for langtidsmottakere\n\n"
        "Kommunebarometeret (SOS08) måler KVP-mottakere som andel av mottakerne med sosialhjelp "
        "i 6 måneder eller mer: {glue:md}`av6` prosent i {glue:md}`navn` i {glue:md}`aar`, mot "
        "{glue:md}`av6_landet` prosent i landet.",
        'r.line("kvp_andel_av_6mnd", "kvp-andel-av-6mnd")',
        'r.level_table(["kvp_per_1000", "kvp_etter", "kvp_andel_av_6mnd", '
        '"netto_276_per_innb"], "kvp-nivaa", "KVP: nøkkeltall for de tre siste årene og ASSS")',
        'r.local_section("kvp_kapasitet", "Kapasitet og oppfølging", "Plasser, deltakere og '
        'deltakere per veileder fra kommunens egne tall.")',
        'r.source_box(["kvp_per_1000", "kvp_etter", "kvp_andel_av_6mnd", "netto_276_per_innb"])',
    ],
    "kommunebarometer": [
        "md:# Kommunebarometeret",
        "md:Kommunal Rapports Kommunebarometer gir hver kommune karakterer på elleve nøkkeltall for "
        "sosialtjenesten og rangerer kommunene etter en vektet snittkarakter. Kommunal Rapport "
        "publiserer ikke alle grensene bak karakterene. Dette kapitlet rekonstruerer sektoren "
        "åpent fra SSBs tall for alle kommuner, slik at hver karakter kan regnes etter for hånd. "
        "Rekonstruksjonen er ikke Kommunal Rapports offisielle resultat.",
        '''kb = r.barometer_summary()
for key, text in {**kb, **r.barometer_example()}.items():
    r.glue(key, text)
r.glue("navn", r.name)''',
        "md:## Slik regnes karakterene\n\n"
        "* Barometeret for år Y bruker statistikk for år Y − 1: barometeret "
        "{glue:md}`kb_aar` bygger på tall for {glue:md}`kb_data_aar`.\n"
        "* For hvert nøkkeltall og år gir **landssnittet** (det uveide snittet av kommunenes "
        "verdier) karakter 3,5. En verdi på eller bedre enn **beste grense** gir 6, en verdi på "
        "eller dårligere enn **dårligste grense** gir 1. Mellom snittet og hver grense er "
        "karakteren lineær: karakter = 3,5 ± 2,5 × |verdi − snitt| / |grense − snitt|.\n"
        "* Grensene er ikke publisert. Her er de satt ved 5- og 95-persentilen av kommunenes "
        "verdier (de 5 % beste og dårligste får 6 og 1); regelen kan endres i "
        "`config/barometer.yaml`.\n"
        "* **Snittkarakteren** er karakterene vektet med tabellen under, fordelt på nøkkeltallene "
        "kommunen har tall for. Poeng = snittkarakter × sektorvekten. En kommune rangeres bare "
        "med tall for minst 60 % av vekten, og lik poengsum gir delt plass.\n\n"
        "**Eksempel:** {glue:md}`kb_eksempel`",
        "r.barometer_weights()",
        "md:Avvik fra Kommunal Rapport: andelene på sosialhjelp (SOS03, SOS04) er ikke korrigert "
        "for utgiftsbehov, fordi datagrunnlaget mangler kostnadsnøkkelen; SOS02 følger SSBs "
        "serie, som ikke har bruddet Kommunal Rapport har fra 2022.",
        "md:## Resultat\n\n"
        "I rekonstruksjonen av barometeret {glue:md}`kb_aar` får {glue:md}`navn` "
        "snittkarakteren {glue:md}`kb_snitt` ({glue:md}`kb_poeng` poeng) og plass "
        "{glue:md}`kb_plass` av {glue:md}`kb_antall` rangerte kommuner. Året før: plass "
        "{glue:md}`kb_plass_forrige`.",
        "r.barometer_table()",
        "r.barometer_heatmap()",
        "md:## Hva trekker ned\n\n"
        "Figuren viser hvor mye hvert nøkkeltall flytter snittkarakteren bort fra 3,5. "
        "Nøkkeltall med negative stolper trekker kommunen ned.",
        "r.barometer_pulling()",
        "md:## De beste kommunene",
        "r.barometer_top()",
        "md:## Hvor følsom er plassen for vektene?",
        "r.barometer_sensitivity()",
        "r.barometer_published()",
        'r.source_box(["stonadslengde_18_24", "stonadslengde_25_66", "andel_18_24", '
        '"andel_25_66", "andel_6mnd", "andel_10mnd", "andel_hovedinntekt_arbeid", '
        '"kvp_andel_av_6mnd", "okrad_per_1000_langtid", "bolig_innvilget_andel", '
        '"individuell_plan_andel"])',
    ],
}

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1] / "chapters"
    root.mkdir(exist_ok=True)
    for name, cells in CHAPTERS.items():
        nbformat.write(nb(cells), root / f"{name}.ipynb")
        print("wrote", root / f"{name}.ipynb")
