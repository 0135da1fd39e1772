"""Find street addresses in the forms our readers write them.

One pattern per way of writing an address, each anchored on something an
ordinary sentence rarely has: a house number next to a street word (English
suffixes, French "rue", Spanish "calle", Portuguese "rua", German "-straße",
Russian "ул.", Arabic "شارع", Vietnamese "đường", Korean "-로"/"-길", Chinese
"路…号"), or a phrase that introduces an address ("I live at", "vivo en").
A street named without any of these ("I'm at 4521 Maplewood") is found only
after such a phrase. A pattern's group "a" or "b", where one matched, is
the address; otherwise the whole match is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UP = "A-ZÀ-ÖØ-ÞĐ"
_CAP = rf"[{_UP}][\w'’-]*(?:\.(?=\s))?"  # a capitalised word: Main, O'Neil, Saint-Honoré, Jr.
_NUM = r"(?:#|\b)\d{1,6}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
_UNIT_ID = r"(?:[A-Za-z]?\d+[\w-]*|[A-Za-z]\b)"
_EN_UNIT = rf"(?:,?\s*(?i:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room)\.?\s*|\s*#\s*){_UNIT_ID}"
_EN_SUFFIX = (
    r"(?i:St|Street|Ave|Av|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court|Way|Pl|Place"
    r"|Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Sq|Square|Trl|Trail|Aly|Alley|Cres"
    r"|Crescent|Close|Row|Loop|Pike|Path|Walk|Plaza|Ridge|Heights|Hts|Hollow|Grove|Gardens"
    r"|Mews|Cove|Crossing|Xing|Landing|Manor|Meadows|Bend|Run|Expy|Expressway|Fwy|Freeway)\b"
)
_DIRECTION = r"(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW)"
_EN_NAME = rf"(?:{_CAP}|\d+(?:st|nd|rd|th))"
# "123 Main St", "1600 Martin Luther King Jr. Boulevard Apt 5", "#12 Mabini St.".
EN = rf"{_NUM}\s+(?:{_DIRECTION}\s+)?(?:{_EN_NAME}\s+){{1,5}}{_EN_SUFFIX}(?:\.?{_EN_UNIT})?"
# Lowercase, as typed on a phone; suffixes that are everyday words ("way",
# "drive", "place") and filler words ("the", "down") are left out.
_EN_PLAIN = (
    r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|hwy|highway|pkwy|parkway|ter|terrace)"
)
_FILLER = (
    r"(?:the|a|an|to|on|in|of|at|down|up|my|our|this|that|and|or|from|for|by|with|blocks?|miles?)"
)
EN_LOWER = (
    rf"\b\d{{1,6}}[a-z]?(?:\s+(?!{_FILLER}\b)[a-z][a-z'’-]+){{1,2}}\s+{_EN_PLAIN}\b"
    rf"(?:\.?{_EN_UNIT})?"
)
EN_PO_BOX = r"\b(?i:P\.?\s?O\.?\s+Box)\s+\d+"
# Philippine subdivisions: "Blk 5 Lot 12", "Block 3 Lot 7 Phase 2".
PH_LOT = (
    r"\b(?i:Blk|Block)\.?\s*\d+\s*,?\s*(?i:Lot)\s*\d+(?:\s*,?\s*(?i:Phase|Ph)\.?\s*\d+)?"
    r"|\bPurok\s*\d+"
)
# After a phrase that introduces an address, a number and capitalised words
# are enough: "I live at 4521 Maplewood", "vivo en Insurgentes Sur 1602". The
# phrases come in two sets, by where the language puts the house number.
_CUE_NUMBER_FIRST = (
    r"(?i:\b(?:I\s+live\s+(?:at|on)|living\s+at|my\s+address\s+is|address\s*:|staying\s+at"
    r"|I'?m\s+at|my\s+(?:house|home|place)\s+is\s+(?:at|on)|moved\s+to|send\s+(?:it\s+)?to"
    r"|j'habite\s+(?:au|à|a)?"
    r"|mon\s+adresse\s+est|adresse\s*:|nakatira\s+ako\s+sa|tôi\s+ở|địa\s+chỉ\s*:?)\s+)"
)
_CUE_NAME_FIRST = (
    r"(?i:\b(?:vivo\s+en(?:\s+la)?|mi\s+direcci[oó]n\s+es|direcci[oó]n\s*:|domicilio\s*:?"
    r"|ich\s+wohne\s+(?:in\s+der|in|am)|meine\s+Adresse\s+ist|adresse\s*:|address\s*:"
    r"|moro\s+(?:na|no|em)|meu\s+endere[cç]o\s+[ée]|endere[cç]o\s*:)\s+)"
)
# "vivo en Madrid 3 años" is a time, not a house number.
_COUNT = (
    r"(?i:años|meses|días|semanas|veces|personas|years?|months?|days|weeks|times|people"
    r"|Jahren?|Monate[n]?|Tagen?|Wochen|Mal|Personen|ans|mois|jours|semaines|fois"
    r"|anos|dias|vezes|pessoas|horas?|hours?|Stunden|heures|minutos|minutes|Minuten)\b"
)
CUED = (
    rf"{_CUE_NUMBER_FIRST}(?P<a>{_NUM}\s+{_CAP}(?:\s+{_CAP}){{0,4}}(?:\.?{_EN_UNIT})?)"
    rf"|{_CUE_NAME_FIRST}(?P<b>{_CAP}(?:\s+{_CAP}){{0,3}},?\s+(?:No\.?\s*)?\d{{1,5}}[A-Za-z]?\b)"
    rf"(?!\s*{_COUNT})"
)
# French, number first: "12 rue de la Paix", "3 bis, avenue Victor-Hugo".
_FR_LINK = r"(?:de\s+la|de\s+l'|des|du|de|d'|la|le|les|l')"
FR = (
    r"\b\d{1,4}(?:\s?(?:bis|ter|[A-Da-d])\b)?,?\s+(?i:rue|avenue|av\.|bd|boulevard|allée|chemin"
    r"|impasse|place|quai|route|cours|passage|square)\s+"
    rf"(?:{_FR_LINK}\s*)?{_CAP}(?:[\s-]+(?:{_FR_LINK}\s*)?{_CAP}){{0,4}}"
)
# Spanish and Portuguese, street word first: "Calle de Alcalá 20", "Av. Insurgentes
# Sur #1602", "Rua das Flores, 123", "calle reforma 222", "Avenida Paulista, nº 1578".
_IB_WORD = (
    r"(?i:calle|c/|avenida|avda\.?|av\.?|paseo|plaza|camino|carrera|cra\.?|calzada|carretera"
    r"|privada|bulevar|callej[oó]n|cerrada|andador|ronda|traves[ií]a|pasaje|jir[oó]n|rua|r\."
    r"|travessa|pra[cç]a|alameda|estrada|largo|rodovia)"
)
_IB_LINK = r"(?:de|del|la|las|los|el|y|da|das|do|dos|e)"
_IB_NAME = rf"(?:{_CAP}|\d{{1,4}})"
_IB_LOWER = r"[a-záéíóúñüãõç]{3,}"
_IB_NUMBER = r"(?:\s*#\s*|,?\s*(?:No|[Nn][º°o]|Núm|Num)\.?\s*|,?\s+)\d{1,5}[A-Za-z]?(?:-\d{1,4})?\b"
# A unit: "piso 3", "apto 12", or a Spanish floor and door "2ºB" ("º" is "o"
# after NFKC), a Portuguese "2º esq.".
_IB_UNIT = (
    r"(?:,?\s+(?i:piso|depto|dpto|interior|int|apto|apt|ap|puerta|casa|bloco|sala)\.?\s*\w{1,4}\b"
    r"|,?\s*\d{1,2}\s?[oa°]\s?[A-Za-z]?\b)?"
)
IB = (
    rf"(?<![\w/]){_IB_WORD}\s*(?:{_IB_LINK}\s+)*(?!{_IB_LINK}\b){_IB_NAME}"
    rf"(?:\s+(?:{_IB_LINK}\s+)*{_IB_NAME}){{0,4}}?{_IB_NUMBER}{_IB_UNIT}"
    # Lowercase, one name word then the number: "calle reforma 222", not
    # "calle desde hace 3 años".
    rf"|(?<![\w/]){_IB_WORD}\s*(?!{_IB_LINK}\b){_IB_LOWER}\s+\d{{1,5}}\b{_IB_UNIT}"
)
# German: "Hauptstraße 5", "Berliner Str. 12a", "Karl-Marx-Allee 45", "Lindenweg 4".
_DE_SUFFIX = r"(?i:stra(?:ß|ss)e|str\.|weg|allee|gasse|platz|ring|damm|ufer|chaussee)"
DE = (
    rf"\b(?:[{_UP}][\wäöüß-]*?{_DE_SUFFIX}"
    r"|(?!(?:Auf|Am|Im|Der|Die|Das|Zum|Zur)\b)[A-ZÄÖÜ][\wäöüß-]+\s(?:Stra(?:ß|ss)e|Str\.|Allee|Weg|Gasse|Platz))"
    r"\s?\d{1,4}[a-zA-Z]?\b"
)
# Russian: "ул. Ленина, д. 5, кв. 12", "проспект Мира 15", "Ленинский проспект, 45".
_RU_WORD = (
    r"(?:ул\.|улица|улице|улицы|пр-т|просп\.|проспект|пер\.|переулок|б-р|бул\.|бульвар|ш\."
    r"|шоссе|наб\.|набережная|пл\.|площадь|мкр\.?|микрорайон)"
)
_RU_NAME = r"[А-ЯЁа-яё0-9][А-ЯЁа-яё.-]*"
_RU_HOUSE = (
    r",?\s*(?:д\.|дом)?\s*\d{1,4}[а-яА-Я]?(?:\s*[,/]?\s*(?:корп\.|к\.|стр\.)\s*\d+)?"
    r"(?:,?\s*(?:кв\.|квартира)\s*\d+)?"
)
RU = (
    rf"(?i:{_RU_WORD}\s*{_RU_NAME}(?:\s+{_RU_NAME}){{0,2}}?|{_RU_NAME}\s+{_RU_WORD})"
    rf"{_RU_HOUSE}(?!\d)"
)
# Arabic: "شارع التحرير 12", "12 شارع الملك فهد", "حي النخيل، شارع 5، عمارة 3، شقة 4".
_AR = r"[\u0621-\u064A\u066E-\u06D3]+"
_AR_UNIT = r"(?:\s*[،,]?\s*(?:عمارة|مبنى|بناية|شقة|الطابق|طابق|منزل)\s*(?:رقم\s*)?\d{1,4})*"
AR = (
    rf"(?:(?:شارع|ش\.|طريق|ميدان|جادة|زقاق)\s*{_AR}(?:\s+{_AR}){{0,3}}?|حي\s+ال{_AR})"
    rf"\s*[،,]?\s*(?:رقم\s*)?\d{{1,5}}{_AR_UNIT}"
    rf"|\b\d{{1,5}}\s+(?:شارع|ش\.)\s+{_AR}(?:\s+{_AR}){{0,2}}{_AR_UNIT}"
)
# Vietnamese: "số 12 đường Lê Lợi", "45/3 Nguyễn Huệ, Quận 1", "ngõ 5 phố Huế".
_VI_WORD = r"(?i:đường|phố|ngõ|ngách|hẻm|kiệt)"
_VI_NAME = rf"[{_UP}][^\s\d,.;:!?]*"
_VI_AREA = r"(?i:phường|quận|huyện|xã|thị\s+xã|tp\.?|thành\s+phố|p\.|q\.)"
VI = (
    rf"(?:(?i:số)\s*)?\b\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})*\s+(?:{_VI_WORD}\s+{_VI_NAME}"
    rf"|{_VI_NAME}(?:\s+{_VI_NAME}){{0,3}}(?=,?\s*{_VI_AREA}))(?:\s+{_VI_NAME}){{0,3}}"
    rf"|{_VI_WORD}\s+\d{{1,4}}(?:/\d{{1,4}})*\s+(?:{_VI_WORD}\s+)?{_VI_NAME}(?:\s+{_VI_NAME}){{0,3}}"
)
# Korean: "테헤란로 123", "강남대로 12길 34", "역삼동 123-45", "101동 1203호".
_KO_UNIT = r"(?:\s*\d{1,4}동)?\s*\d{1,5}호"
_KO_NOT_COUNT = r"(?![\d-]|\s?(?:시|분|번|개|명|일|년|월|살|세|회|층|mg|ml|%))"
KO = (
    rf"(?:[가-힣]+(?:특별시|광역시|시|구|군)\s)*[가-힣0-9]{{1,10}}(?<!으)(?:로|길)"
    rf"(?:\s?\d{{1,4}}번?길)?\s?\d{{1,4}}(?:-\d{{1,4}})?{_KO_NOT_COUNT}(?:,?{_KO_UNIT})?"
    rf"|[가-힣]{{1,6}}동\s?\d{{1,5}}(?:-\d{{1,4}}|번지)(?:,?{_KO_UNIT})?"
    rf"|\d{{1,4}}동\s?\d{{1,5}}호"
)
# Chinese: "北京市朝阳区建国路88号", "信義路五段7號12樓", "弥敦道 123 号".
_ZH_NAME = r"(?:(?![在住是到于於从從去来來的址我你他她请請寄和跟])[\u4e00-\u9fff])"
ZH = (
    rf"{_ZH_NAME}{{1,14}}?(?:路|街|道|巷|大道|胡同|里)(?:[一二三四五六七八九十\d]+段)?"
    r"\s?(?:\d+巷)?\s?(?:\d+弄)?\s?(?:\d+|[一二三四五六七八九十百千零〇两]+)(?:之\d+)?\s?[号號]"
    r"(?:\s?\d+[楼樓F层層])?(?:\s?\d+室)?"
)

PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (EN, EN_LOWER, EN_PO_BOX, PH_LOT, CUED, FR, IB, DE, RU, AR, VI, KO, ZH)
)


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of street addresses in normalized text (overlaps are resolved by the caller)."""
    # Every address has a house number: digits, or Chinese numerals ("一百号").
    if not any(char.isnumeric() for char in text):
        return
    spans = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            group = next((g for g in ("a", "b") if match.groupdict().get(g)), 0)
            spans.append(match.span(group))
    # Where two ways of writing overlap, the longer reading wins.
    yield from sorted(spans, key=lambda span: (span[0] - span[1], span[0]))
