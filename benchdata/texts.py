"""Names, places and journal phrases for fabricated benchmark data (common Swedish
names; no real person is described)."""

FIRST_NAMES_FEMALE = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Ida", "Linnea", "Johanna",
    "Fatima", "Amina", "Leila", "Nour", "Hanna", "Sofia", "Maja", "Ebba", "Julia", "Alice",
    "Agnes", "Wilma", "Elsa", "Klara", "Olivia", "Zeynep", "Ayan", "Hodan", "Marta", "Jelena",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Daniel", "Oskar", "Emil",
    "Mohammed", "Ahmed", "Ali", "Omar", "Hassan", "Yusuf", "Lucas", "Liam", "William", "Hugo",
    "Elias", "Noah", "Adam", "Viktor", "Filip", "Mehmet", "Abdi", "Goran", "Tomas", "Jonas",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Lindberg", "Lindström", "Lindqvist", "Berg", "Holm", "Ali", "Mohammed",
    "Hassan", "Ahmed", "Yilmaz", "Kaya", "Nguyen", "Novak", "Kovač", "Abdullahi",
    "Sandberg", "Forsberg", "Sjöberg", "Wallin", "Engström", "Lund", "Axelsson", "Berglund",
)  # fmt: skip
STREETS = (
    "Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Parkvägen", "Björkvägen",
    "Stationsgatan", "Ringvägen", "Järnvägsgatan", "Tallvägen", "Södra vägen", "Industrigatan",
)  # fmt: skip
CITIES = (("Norrköping", "602"), ("Eslöv", "241"), ("Linköping", "582"), ("Malmö", "212"))
LANGUAGES = ("", "", "", "", "", "arabiska", "somaliska", "tigrinja", "dari", "engelska")

JOURNAL_PHRASES = (
    "Telefonsamtal med sökande om ansökan för kommande månad. Underlag saknas för hyra.",
    "Underlag inkommet: hyresavi och beslut om bostadsbidrag. Ansökan komplett.",
    "Besök. Vi gick igenom arbetsplanen och nästa steg mot arbete eller studier.",
    "Kontakt med Arbetsförmedlingen om anvisad insats. Deltagande enligt plan.",
    "Sökande meddelar sjukdom, läkarintyg ska lämnas in inom två veckor.",
    "Kommunicerat utredningen muntligen. Sökande har inget att tillägga.",
    "Trepartssamtal med Arbetsförmedlingen och sökande. Överenskommelse om praktik.",
    "Sökande har påbörjat SFI och lämnat närvarointyg.",
    "Barnens situation samtalats om. Inga orosmoment framkom.",
    "Uppföljning av budget och skulder. Hänvisad till budget- och skuldrådgivning.",
)
MEETING_NOTES = (
    "Genomgång av ansökan och arbetsplan.",
    "Uppföljning av planerade aktiviteter.",
    "Samtal om vägen till egen försörjning.",
    "",
)
MOTIVERING = (
    "Hushållets behov enligt riksnormen och skäliga kostnader för boende och hushållsel "
    "har jämförts med hushållets inkomster. Behovet kan inte tillgodoses på annat sätt "
    "(socialtjänstlagen 12 kap. 1 §)."
)
MOTIVERING_REFUSED = (
    "Hushållets inkomster överstiger behovet enligt riksnormen och skäliga kostnader. "
    "Rätt till försörjningsstöd saknas för månaden (socialtjänstlagen 12 kap. 1 §)."
)
CHILD_IMPACT = (
    "Beslutet tillgodoser barnens behov enligt riksnormen; barnens bästa har beaktats "
    "vid bedömningen."
)
SUPPLEMENTS = (
    "Hyresavi för månaden",
    "Kontoutdrag för de senaste tre månaderna",
    "Beslut om bostadsbidrag",
    "Närvarointyg från SFI",
    "Läkarintyg",
)
