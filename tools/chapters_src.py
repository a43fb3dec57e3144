"""Write the chapter notebooks from compact text (the notebooks are the committed source;
run this only to regenerate them after editing here): python tools/chapters_src.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = '''kommune = "3201"
snapshot = "../data/snapshot"
params_file = ""
cache_dir = "../data/cache"'''

SETUP = """from navbok.book.report import Report

r = Report.open(kommune, snapshot=snapshot, params_file=params_file, cache_dir=cache_dir)"""


def nb(cells: list) -> nbformat.NotebookNode:
    book = new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
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
        """last = r.years[-1]
v = {
    "aar": str(last),
    "andel": r.text("andel_18_66", last),
    "andel_asss": r.text("andel_18_66", last, "asss_snitt"),
    "andel_landet": r.text("andel_18_66", last, "landet"),
    "lengde": r.text("stonadslengde", last),
    "lengde_asss": r.text("stonadslengde", last, "asss_snitt"),
    "aap": r.text("aap_andel", last),
    "aap_asss": r.text("aap_andel", last, "asss_snitt"),
}
_, aap = r.aap_ratio(r.params.aap_year)
g = r.growth_texts()
kb = r.barometer_summary()
r.glue("navn", r.name)
r.glue("mandat", r.params.mandate)
r.glue("periode", f"{r.years[0]}–{last}")
r.glue("asss_liste", r.asss_members(last))
for i, text in enumerate([
    r.sentence(
        "I {aar} mottok {andel} prosent av innbyggerne 18–66 år i {navn} økonomisk sosialhjelp, "
        "mot {andel_asss} prosent i ASSS-snittet og {andel_landet} prosent i landet.",
        "Andelen av innbyggerne i {navn} som mottok økonomisk sosialhjelp i {aar}, er skjult "
        "av personvernhensyn eller mangler.", **v),
    r.sentence(
        "Gjennomsnittlig stønadslengde var {lengde} måneder (ASSS-snittet {lengde_asss}).",
        "Stønadslengden for {navn} er skjult eller mangler.", **v),
    r.sentence(
        "I desember {aar} mottok {aap} prosent av innbyggerne 18–66 år arbeidsavklaringspenger "
        "(ASSS-snittet {aap_asss}). I {aap_aar} var det {ratio} AAP-mottakere per "
        "sosialhjelpsmottaker, mot {ratio_asss} i ASSS-snittet.",
        "AAP-tallene for {navn} er skjult av personvernhensyn eller mangler.",
        aap_aar=str(r.params.aap_year), ratio=aap["ratio"], ratio_asss=aap["ratio_asss"], **v),
    g["funn"],
    f"Kommunebarometeret {kb['kb_aar']}, åpen rekonstruksjon: {kb['kb_kort']}. "
    f"{kb['kb_forbehold']}".strip(),
]):
    r.glue(f"funn{i}", text)""",
        "md:Denne boken er en analytisk gjennomgang av sosialtjenesten i {glue:md}`navn` kommune, "
        "bygget på offentlig statistikk fra SSB og NAV for perioden {glue:md}`periode`. Alle tall "
        "er regnet ut av koden bak boken, og hver figur har tallene og kildene sine rett under seg.",
        "md:## Mandat\n\n{glue:md}`mandat`",
        "md:## Slik leser du boken\n\n"
        "Hvert kapittel sammenligner kommunen med\n\n"
        "* **ASSS-snittet**: det uveide gjennomsnittet av kommunene i ASSS-nettverket (de største "
        "kommunene), med høyeste og laveste verdi. I denne utgaven er ASSS {glue:md}`asss_liste`;\n"
        "* **KOSTRA-gruppen** kommunen tilhører (SSBs gruppering etter folketall og økonomi; "
        "inndelingen endret seg mellom 2019 og 2020, så linjen brytes der);\n"
        "* **Landet** og **Landet uten Oslo**, som SSB publiserer dem;\n"
        "* utvalgte **nabokommuner**.\n\n"
        "Kommunenummer er harmonisert til dagens kommuneinndeling: tall for sammenslåtte kommuner er "
        "lagt sammen før andeler er regnet ut. Tall som mangler (`..`), er skjult av "
        "personvernhensyn (`:`), eller ikke kan regnes ut (`.`), vises som brudd i figurene og med "
        "SSBs symbol i tabellene – aldri som null.",
        "md:## Nøkkeltall mot ASSS-snittet",
        "r.service_profile(last)",
        "md:## Hovedfunn\n\n" + "\n".join(f"* {{glue:md}}`funn{i}`" for i in range(5)),
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
        "mangler for år der et medlem er skjult.",
        """last = r.years[-1]
y = r.params.aap_year
ratio_table, t = r.aap_ratio(y)
v = {
    "aar": str(last), "aap": r.text("aap_andel", last),
    "aap_asss": r.text("aap_andel", last, "asss_snitt"),
    "aap_landet": r.text("aap_andel", last, "landet"),
    "aap_forste": r.text("aap_andel", r.years[0]), "forste": str(r.years[0]),
    "plass": r.asss_position("aap_andel", last),
    "aap_aar": str(y), "aap_y": r.text("aap_andel", y), **t,
    "ratio_plass": r.asss_position("aap_forholdstall", y),
}
r.glue("p_maaneder", r.aap_coverage())
r.glue("p_andel", r.sentence(
    "I desember {aar} mottok {aap} prosent av innbyggerne 18–66 år i {navn} AAP, mot {aap_asss} "
    "prosent i ASSS-snittet og {aap_landet} prosent i landet ({plass}). I {forste} var andelen "
    "{aap_forste} prosent.",
    "AAP-tallene for {navn} er skjult av personvernhensyn (færre enn fire mottakere) eller "
    "mangler. ASSS-snittet var {aap_asss} og landet {aap_landet} prosent i desember {aar}.", **v))
r.glue("p_ratio", r.sentence(
    "I {aap_aar} var forholdstallet {ratio} i {navn} mot {ratio_asss} i ASSS-snittet "
    "({ratio_plass}).",
    "Forholdstallet for {navn} kan ikke regnes ut fordi AAP- eller sosialhjelpstallene er "
    "skjult eller mangler.", **v))
r.glue("p_forventet", r.sentence(
    "**Forventet AAP-andel.** Hvis {navn} hadde hatt samme forholdstall som ASSS-snittet "
    "({ratio_asss}), ville AAP-andelen med kommunens sosialhjelpsandel ({sos_andel} prosent) vært "
    "om lag {forventet} prosent (sosialhjelpsandel × ASSS-forholdstall). Den faktiske andelen i "
    "desember {aap_aar} var {aap_y} prosent.",
    "**Forventet AAP-andel** kan ikke regnes ut for {navn} fordi tallene er skjult eller "
    "mangler.", **v))""",
        "md:## AAP-andelen over tid\n\n{glue:md}`p_andel`",
        'r.line("aap_andel", "aap-andel")',
        "md:{glue:md}`p_maaneder` Figuren under viser februar og desember hvert år på en felles "
        "tidsakse.",
        "r.aap_months()",
        "md:## AAP sett opp mot sosialhjelp\n\n"
        "Den eksterne gjennomgangen av NAV Bærum (2021) sammenlignet AAP-andelen med andelen som "
        "mottar økonomisk sosialhjelp. Forholdstallet er AAP-andelen delt på sosialhjelpsandelen: "
        "hvor mange AAP-mottakere det er per sosialhjelpsmottaker. AAP-tallet er mottakere i "
        "desember, sosialhjelpstallet alle som fikk stønad i løpet av året. {glue:md}`p_ratio`",
        "ratio_table",
        "md:{glue:md}`p_forventet` Regnestykket forutsetter at AAP og sosialhjelp trekker fra "
        "samme befolkning i samme forhold i alle kommuner; forskjeller i befolkningssammensetning, "
        "helse og arbeidsmarked kan forklare avvik uten at praksis er ulik.",
        'r.line("aap_forholdstall", "aap-forholdstall")',
        'r.local_section("kontekst", "Sosioøkonomisk kontekst", "Tallene er publiserte tall fra '
        'kilden som står under tabellen, ikke beregnet fra datagrunnlaget i denne boken.")',
        'r.local_section("aap_status", "Status etter AAP", "Hva skjer med mottakerne når '
        "AAP-perioden slutter? Tallene er publiserte tall fra kilden som står under tabellen, ikke "
        'beregnet fra datagrunnlaget i denne boken.")',
        'r.source_box(["aap_andel", "aap_andel_februar", "andel_18_66", "aap_forholdstall"])',
    ],
    "utbetalingsvekst": [
        "md:# Utbetalingsvekst",
        "md:Kapitlet ser på nivået på og veksten i utbetalt økonomisk sosialhjelp (bidrag og lån) "
        "og på hva veksten består av: flere mottakere, lengre stønadsperioder eller høyere "
        "utbetaling per måned. Beløpene er løpende kroner (nominelle) der ikke annet står.",
        """last = r.years[-1]
y0, y1 = r.params.growth_period
waterfall, growth_table, kroner_table, g = r.growth_decomposition()
annual_chart, annual_table, annual_text = r.annual_growth()
v = {
    "aar": str(last), "aar1": str(y1),
    "utb": r.text("utbetalt_per_innb_18_66", last),
    "utb_asss": r.text("utbetalt_per_innb_18_66", last, "asss_snitt"),
    "utb_plass": r.asss_position("utbetalt_per_innb_18_66", last),
    "vs_asss": r.relative_difference("utbetalt_per_innb_18_66", last, "asss_snitt"),
    "vs_landet": r.relative_difference("utbetalt_per_innb_18_66", last, "landet"),
    "y1_asss": r.relative_difference("utbetalt_per_innb_18_66", y1, "asss_snitt"),
    "y1_landet": r.relative_difference("utbetalt_per_innb_18_66", y1, "landet"),
}
r.glue("p_niva", r.sentence(
    "I {aar} ble det utbetalt {utb} kroner i økonomisk sosialhjelp per innbygger 18–66 år i "
    "{navn} (ASSS-snittet {utb_asss} kroner; {utb_plass}). Det er {vs_asss} ASSS-snittet og "
    "{vs_landet} landet. I {aar1} var {navn} {y1_asss} ASSS-snittet og {y1_landet} landet.",
    "Utbetalingene per innbygger i {navn} i {aar} er skjult av personvernhensyn eller mangler "
    "(ASSS-snittet var {utb_asss} kroner).", **v))
r.glue("p_vekst", g["vekst_avsnitt"])
r.glue("p_aarlig", annual_text)""",
        "md:## Nivå\n\n{glue:md}`p_niva`\n\n"
        "*Konvensjon:* forskjellen er (kommunen − sammenligningen) / sammenligningen. Regnet "
        "motsatt vei («ASSS ligger 19 % over») blir tallet et annet for den samme forskjellen.",
        'r.bars("utbetalt_per_innb_18_66", last, "utbetalt-per-innbygger-asss")',
        'r.line("utbetalt_per_innb_18_66", "utbetalt-per-innbygger")',
        'r.level_table(["utbetalt_per_innb_18_66", "netto_sos_per_innb", "netto_281_per_innb", '
        '"netto_243_per_innb", "stonad_per_mottaker", "andel_18_66", "andel_18_24", "andel_25_66", '
        '"andel_forsorger_barn"], "prioritering-og-behov", "Prioritering og behov (løpende kroner; '
        'andeler i prosent)")',
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
        "{glue:md}`p_vekst`",
        "waterfall",
        "growth_table",
        "kroner_table",
        "md:## Vekst år for år\n\n{glue:md}`p_aarlig`",
        "annual_chart",
        "annual_table",
        "md:## Faktiske utgifter mot beregnet behov (Proba 2017)\n\n"
        "Proba samfunnsanalyse beregnet for KS hva hver kommune «burde» bruke på sosialhjelp "
        "gitt befolkningens sammensetning og levekår, og sammenlignet med faktiske utgifter "
        "(indeks 100 = utgifter lik beregnet behov). Figuren viser de publiserte tallene. De er "
        "et historisk resultat og er ikke regnet ut på nytt her.",
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
        """last = r.years[-1]
v = {
    "aar": str(last), "forste": str(r.years[0]),
    "lt10": r.text("langtid_10mnd_hovedinntekt", last),
    "lt10_forste": r.text("langtid_10mnd_hovedinntekt", r.years[0]),
    "lt10_andel": r.text("andel_langtid_10mnd_hovedinntekt", last),
    "lt6": r.text("andel_langtid_6mnd_hovedinntekt", last),
    "lt6_asss": r.text("andel_langtid_6mnd_hovedinntekt", last, "asss_snitt"),
    "lt6_plass": r.asss_position("andel_langtid_6mnd_hovedinntekt", last),
    "lengde": r.text("stonadslengde_hovedinntekt", last),
    "lengde_asss": r.text("stonadslengde_hovedinntekt", last, "asss_snitt"),
    "lengde_kg": r.text("stonadslengde_hovedinntekt", last, "kostragruppe"),
}
r.glue("p_lt10", r.paragraph(
    ["langtid_10mnd_hovedinntekt", "andel_langtid_10mnd_hovedinntekt"],
    "I {aar} hadde {lt10} mottakere i {navn} stønad i 10 måneder eller mer og sosialhjelp som "
    "hovedinntekt ({lt10_andel} prosent av mottakerne), mot {lt10_forste} i {forste}.",
    "Antallet med stønad i 10 måneder eller mer og sosialhjelp som hovedinntekt er skjult av "
    "personvernhensyn eller mangler for {navn} i {aar} eller {forste}.", **v))
r.glue("p_lt6", r.sentence(
    "Med 6 måneder som grense var andelen {lt6} prosent, mot {lt6_asss} prosent i ASSS-snittet "
    "({lt6_plass}).",
    "Andelen med 6 måneder eller mer er skjult eller mangler for {navn} (ASSS-snittet "
    "{lt6_asss} prosent).", **v))
r.glue("p_lengde", r.sentence(
    "Mottakere med sosialhjelp som hovedinntekt fikk i snitt stønad i {lengde} måneder i {aar} "
    "(ASSS-snittet {lengde_asss}, KOSTRA-gruppen {lengde_kg}).",
    "Stønadslengden for mottakere med sosialhjelp som hovedinntekt er skjult eller mangler for "
    "{navn} i {aar}.", **v))""",
        "md:## Lange stønadsforløp med sosialhjelp som hovedinntekt\n\n{glue:md}`p_lt10`",
        'r.line("langtid_10mnd_hovedinntekt", "langtid-10mnd-antall", kinds=("kommune", "nabo"))',
        'r.line("andel_langtid_10mnd_hovedinntekt", "langtid-10mnd-andel")',
        "md:{glue:md}`p_lt6`",
        'r.bars("andel_langtid_6mnd_hovedinntekt", last, "langtid-6mnd-asss")',
        'r.line("andel_langtid_6mnd_hovedinntekt", "langtid-6mnd")',
        "md:## Alle med stønad i 6 og 10 måneder eller mer\n\n"
        "Kommunebarometeret bruker andelen av alle mottakere med stønad i 6 og 10 måneder eller "
        "mer, uansett hovedinntekt (nøkkeltallene SOS05 og SOS06).",
        'r.line("andel_6mnd", "andel-6mnd")',
        'r.line("andel_10mnd", "andel-10mnd")',
        "md:## Stønadslengde\n\n{glue:md}`p_lengde`",
        'r.line("stonadslengde_hovedinntekt", "stonadslengde-hovedinntekt")',
        'r.indicator_lines(["stonadslengde", "stonadslengde_18_24", "stonadslengde_25_66", '
        '"stonadslengde_hovedinntekt"], "stonadslengde-grupper", f"Stønadslengde etter gruppe, '
        '{r.name}", "Gjennomsnittlig antall måneder med stønad i året for alle mottakere, '
        "18–24 år, 25–66 år og mottakere med sosialhjelp som hovedinntekt. SSB publiserer ikke "
        "stønadslengden for 25–66 år; den er regnet som gjennomsnittet av aldersgruppene 25–29, "
        '30–39, 40–49 og 50–66 år, vektet med antall mottakere i hver gruppe.")',
        "md:## Hovedinntekt\n\n"
        "Datagrunnlaget skiller mellom mottakere med sosialhjelp og med arbeidsinntekt som "
        "viktigste kilde til livsopphold. En finere fordeling (trygd, AAP, introduksjonsstønad, "
        "kvalifiseringsstønad og andre) finnes i SSBs tabeller over hovedinntektskilde, men er "
        "ikke med i datagrunnlaget; kommunens egne fagsystemtall kan legges inn som lokale data.",
        'r.indicator_lines(["andel_hovedinntekt_sosialhjelp", "andel_hovedinntekt_arbeid"], '
        '"hovedinntekt", f"Mottakere etter hovedinntekt, {r.name}", "Andel av mottakerne med '
        "sosialhjelp og med arbeidsinntekt som viktigste kilde til livsopphold. Resten har "
        'andre hovedinntekter.", unit="prosent av mottakerne")',
        'r.level_table(["andel_langtid_6mnd_hovedinntekt", "andel_langtid_10mnd_hovedinntekt", '
        '"andel_6mnd", "andel_10mnd", "stonadslengde_hovedinntekt", "stonadslengde_18_24", '
        '"stonadslengde_25_66", "andel_hovedinntekt_sosialhjelp", "andel_hovedinntekt_arbeid"], '
        '"langtid-nivaa", "Langtidsmottak: nøkkeltall")',
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
        """last = r.years[-1]
ended = r.measure("kvp_avsluttet", last)
v = {
    "aar": str(last),
    "kvp": r.text("kvp_per_1000", last),
    "kvp_asss": r.text("kvp_per_1000", last, "asss_snitt"),
    "kvp_plass": r.asss_position("kvp_per_1000", last),
    "etter": r.text("kvp_etter", last),
    "etter_asss": r.text("kvp_etter", last, "asss_snitt"),
    "etter_plass": r.asss_position("kvp_etter", last),
    "av6": r.text("kvp_andel_av_6mnd", last),
    "av6_landet": r.text("kvp_andel_av_6mnd", last, "landet"),
}
r.glue("p_kvp", r.paragraph(
    ["kvp_per_1000"],
    "I {aar} var det {kvp} mottakere av kvalifiseringsstønad per 1 000 innbyggere 18–66 år i "
    "{navn}, mot {kvp_asss} i ASSS-snittet ({kvp_plass}).",
    "Tallet på mottakere av kvalifiseringsstønad i {navn} i {aar} er skjult av "
    "personvernhensyn eller mangler (ASSS-snittet {kvp_asss} per 1 000).", **v))
small = (
    f" Andelen bygger på {int(ended)} personer og kan svinge mye fra år til år."
    if ended == ended and 0 < ended < 20 else ""
)
r.glue("p_etter", r.paragraph(
    ["kvp_etter"],
    "Av deltakerne som avsluttet programmet i {aar}, gikk {etter} prosent til arbeid, skole "
    "eller utdanning (ASSS-snittet {etter_asss} prosent; {etter_plass})." + small,
    "Hvor mange i {navn} som gikk til arbeid, skole eller utdanning etter programmet i {aar}, "
    "er skjult, mangler eller kan ikke regnes ut (ingen avsluttet). ASSS-snittet var "
    "{etter_asss} prosent.", **v))
r.glue("p_av6", r.paragraph(
    ["kvp_andel_av_6mnd"],
    "Kommunebarometeret (SOS08) måler KVP-mottakere som andel av mottakerne med sosialhjelp i 6 "
    "måneder eller mer: {av6} prosent i {navn} i {aar}, mot {av6_landet} prosent i landet.",
    "Kommunebarometeret (SOS08) måler KVP-mottakere som andel av mottakerne med sosialhjelp i 6 "
    "måneder eller mer. For {navn} i {aar} er tallet skjult eller mangler (landet "
    "{av6_landet} prosent).", **v))""",
        "md:## Deltakere per 1 000 innbyggere\n\n{glue:md}`p_kvp`",
        'r.line("kvp_per_1000", "kvp-per-1000")',
        "md:## Etter programmet\n\n{glue:md}`p_etter`",
        'r.bars("kvp_etter", last, "kvp-etter-asss")',
        'r.line("kvp_etter", "kvp-etter")',
        "md:## KVP for langtidsmottakere\n\n{glue:md}`p_av6`",
        'r.line("kvp_andel_av_6mnd", "kvp-andel-av-6mnd")',
        'r.level_table(["kvp_per_1000", "kvp_etter", "kvp_andel_av_6mnd", '
        '"netto_276_per_innb"], "kvp-nivaa", "KVP: nøkkeltall")',
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
        """kb = r.barometer_summary()
for key, text in {**kb, **r.barometer_example()}.items():
    r.glue(key, text)""",
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
        "md:## Resultat\n\n{glue:md}`kb_resultat`",
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
