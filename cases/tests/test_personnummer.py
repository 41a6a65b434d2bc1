"""cases.personnummer against DOMAIN.md §7. Only Skatteverket's test numbers are written
out here; the property tests build numbers from their parts and keep none."""

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.personnummer import InvalidPersonnummer, Personnummer, luhn_check_digit, parse

TODAY = date(2026, 6, 1)

LENGTH = "Personnumret ska ha 10 eller 12 siffror."
CHECK_DIGIT = "Kontrollsiffran stämmer inte – kontrollera numret."
BAD_DATE = "Datumet i personnumret finns inte."
FUTURE = "Födelsedatumet ligger i framtiden."


def with_check_digit(first_eleven: str) -> str:
    """YYYYMMDDNNN + the right C, so that only the part under test can be wrong."""
    return first_eleven + str(luhn_check_digit(first_eleven[2:]))


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


# --- Skatteverket's test numbers ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalized", "birth_date", "sex"),
    [
        ("19121212-1212", "191212121212", date(1912, 12, 12), "man"),
        ("19440813-9089", "194408139089", date(1944, 8, 13), "kvinna"),
        ("19900602-2397", "199006022397", date(1990, 6, 2), "man"),
        ("20000105-2380", "200001052380", date(2000, 1, 5), "kvinna"),
        ("640823-3234", "196408233234", date(1964, 8, 23), "man"),
    ],
)
def test_skatteverket_test_numbers(value, normalized, birth_date, sex):
    number = parse(value, today=TODAY)
    assert number.normalized == normalized
    assert str(number) == f"{normalized[:8]}-{normalized[8:]}"
    assert number.birth_date == birth_date
    assert number.sex == sex
    assert number.is_coordination_number is False


@pytest.mark.parametrize(
    "value",
    [
        "640823-3234",
        "6408233234",
        "19640823-3234",
        "196408233234",
        "19640823+3234",  # "+" on 12 digits is accepted and changes nothing
        "  640823-3234\t",
        "\n196408233234 ",
    ],
)
def test_every_accepted_form_gives_the_same_number(value):
    assert parse(value, today=TODAY).normalized == "196408233234"


def test_samordningsnummer_keeps_day_as_issued_and_gives_real_birth_date():
    number = parse("701063-2391", today=TODAY)
    assert number.is_coordination_number is True
    assert number.normalized == "197010632391"
    assert str(number) == "19701063-2391"
    assert number.birth_date == date(1970, 10, 3)
    assert number.ten_digit == "701063-2391"
    assert number.sex == "man"


def test_luhn_check_digit_of_the_domain_examples():
    assert luhn_check_digit("640823323") == 4
    assert luhn_check_digit("701063239") == 1
    assert luhn_check_digit("121212121") == 2
    assert luhn_check_digit("000105238") == 0
    with pytest.raises(ValueError):
        luhn_check_digit("64082332")


# --- century of a 10-digit number -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "today", "born"),
    [
        # "-": the latest century that does not put the birth date in the future.
        ("121212-1212", date(2026, 6, 1), date(2012, 12, 12)),
        ("1212121212", date(2026, 6, 1), date(2012, 12, 12)),
        ("121212-1212", date(2012, 12, 12), date(2012, 12, 12)),  # born today
        ("121212-1212", date(2012, 12, 11), date(1912, 12, 12)),  # tomorrow: a century back
        # "+": 100 years before that.
        ("121212+1212", date(2026, 6, 1), date(1912, 12, 12)),
        ("121212+1212", date(2012, 12, 12), date(1912, 12, 12)),
        ("121212+1212", date(2012, 12, 11), date(1812, 12, 12)),
        ("640823+3234", date(2026, 6, 1), date(1864, 8, 23)),
    ],
)
def test_century_comes_from_separator_and_today(value, today, born):
    assert parse(value, today=today).birth_date == born


def test_century_can_make_a_date_impossible():
    number = with_check_digit("20000229123")  # 29 Feb exists in 2000, not in 1900
    assert parse(number[2:8] + "-" + number[8:], today=TODAY).birth_date == date(2000, 2, 29)
    with pytest.raises(InvalidPersonnummer, match=BAD_DATE):
        parse(number[2:8] + "+" + number[8:], today=TODAY)


@pytest.mark.parametrize(
    ("today", "ten_digit"),
    [
        (date(2012, 12, 11), "121212-1212"),  # 99 years old
        (date(2012, 12, 12), "121212+1212"),  # 100 today
        (date(2026, 6, 1), "121212+1212"),
    ],
)
def test_ten_digit_form_switches_to_plus_at_100(today, ten_digit):
    number = parse("19121212-1212", today=today)
    assert number.ten_digit == ten_digit
    assert parse(ten_digit, today=today) == number


def test_today_defaults_to_the_current_stockholm_date():
    # 19121212-1212 has been over 100 for years; 20000105-2380 will stay under 100 long.
    assert parse("19121212-1212").ten_digit == "121212+1212"
    assert parse("000105-2380").normalized == "200001052380"
    assert parse("20000105-2380").ten_digit == "000105-2380"


# --- rejections ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("64O823-3234", "characters"),  # letter O
        ("640823 3234", "characters"),
        ("640823_3234", "characters"),
        ("640823–3234", "characters"),  # en dash
        ("６４０８２３-３２３４", "characters"),  # full-width digits
        ("640823-323", "length"),
        ("64082332345", "length"),
        ("1964082332341", "length"),
        ("12345", "length"),
        ("6408-233234", "separator"),
        ("640823-32-34", "separator"),
        ("640823--3234", "separator"),
        ("-6408233234", "separator"),
        ("19640823-3235", "check_digit"),
        ("640823-3235", "check_digit"),
        ("701063-2392", "check_digit"),
    ],
)
def test_malformed_input_is_rejected_with_a_code(value, code):
    with pytest.raises(InvalidPersonnummer) as caught:
        parse(value, today=TODAY)
    assert caught.value.code == code
    assert str(caught.value)  # a Swedish sentence for the user
    assert value.strip() == "" or value.strip() not in str(caught.value)  # no number echoed


def test_messages_say_what_is_wrong_in_swedish():
    with pytest.raises(InvalidPersonnummer, match=LENGTH):
        parse("640823-323", today=TODAY)
    with pytest.raises(InvalidPersonnummer, match=CHECK_DIGIT):
        parse("640823-3235", today=TODAY)
    with pytest.raises(InvalidPersonnummer, match="siffror"):
        parse("ABCDEF-GHIJ", today=TODAY)
    assert isinstance(InvalidPersonnummer("date"), ValueError)


@pytest.mark.parametrize(
    "first_eleven",
    [
        "19900230123",  # 30 February
        "19890229123",  # 29 February in a common year
        "19900100123",  # day 00
        "19901301123",  # month 13
        "19900001123",  # month 00
        "19900132123",  # 32 January
        "19900160123",  # samordning day 60 = day 00
        "19900192123",  # samordning day 92 = day 32
        "19900291123",  # samordning 31 February
        "19890289123",  # samordning 29 February in a common year
    ],
)
def test_impossible_dates_are_rejected_even_with_a_correct_check_digit(first_eleven):
    with pytest.raises(InvalidPersonnummer, match=BAD_DATE) as caught:
        parse(with_check_digit(first_eleven), today=TODAY)
    assert caught.value.code == "date"


def test_samordning_day_61_and_91_map_to_real_days():
    assert parse(with_check_digit("19900161123"), today=TODAY).birth_date == date(1990, 1, 1)
    assert parse(with_check_digit("19900191123"), today=TODAY).birth_date == date(1990, 1, 31)
    assert parse(with_check_digit("19920289123"), today=TODAY).birth_date == date(1992, 2, 29)


def test_birth_date_after_today_is_rejected():
    tomorrow = TODAY + timedelta(days=1)
    number = with_check_digit(f"{tomorrow:%Y%m%d}123")
    with pytest.raises(InvalidPersonnummer, match=FUTURE) as caught:
        parse(number, today=TODAY)
    assert caught.value.code == "future"
    assert parse(number, today=tomorrow).birth_date == tomorrow
    assert parse("20000105-2380", today=date(2000, 1, 5)).birth_date == date(2000, 1, 5)
    with pytest.raises(InvalidPersonnummer, match=FUTURE):
        parse("20000105-2380", today=date(2000, 1, 4))


def test_non_string_input_is_a_programming_error():
    with pytest.raises(TypeError):
        parse(6408233234)  # type: ignore[arg-type]


# --- the value object ---------------------------------------------------------------------


def test_personnummer_is_a_frozen_hashable_ordered_value():
    a = parse("640823-3234", today=TODAY)
    b = parse("196408233234", today=date(2030, 1, 1))
    c = parse("19121212-1212", today=TODAY)
    assert a == b  # the reference date is not part of the value
    assert hash(a) == hash(b)
    assert len({a, b, c}) == 2
    assert sorted([a, c]) == [c, a]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.normalized = "191212121212"  # type: ignore[misc]


def test_repr_hides_the_birth_number():
    number = parse("19440813-9089", today=TODAY)
    assert "9089" not in repr(number)
    assert "19440813" in repr(number)


def test_direct_construction_needs_twelve_digits():
    assert Personnummer("191212121212").birth_date == date(1912, 12, 12)
    with pytest.raises(InvalidPersonnummer):
        Personnummer("1212121212")


# --- properties ---------------------------------------------------------------------------

birth_dates = st.dates(min_value=date(1827, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


def build(born: date, serial: str, *, coordination: bool = False) -> str:
    day = born.day + (60 if coordination else 0)
    return with_check_digit(f"{born:%Y%m}{day:02d}{serial}")


def ten_digit_on_today(number: str, born: date) -> str:
    """YYMMDD-NNNC, with "+" for someone 100 or older on TODAY (1 June: no leap-day edge)."""
    separator = "+" if born <= date(TODAY.year - 100, TODAY.month, TODAY.day) else "-"
    return f"{number[2:8]}{separator}{number[8:]}"


@given(born=birth_dates, serial=serials, coordination=st.booleans())
def test_any_valid_date_and_serial_round_trips(born, serial, coordination):
    number = build(born, serial, coordination=coordination)
    parsed = parse(number, today=TODAY)
    assert parsed.normalized == number
    assert parsed.birth_date == born
    assert parsed.is_coordination_number is coordination
    assert parsed.check_digit == luhn_check_digit(number[2:11])
    assert parsed.sex == ("man" if int(serial[2]) % 2 else "kvinna")
    assert parse(f"{number[:8]}-{number[8:]}", today=TODAY) == parsed


@given(born=birth_dates, serial=serials, coordination=st.booleans())
def test_ten_and_twelve_digit_forms_parse_to_the_same_number(born, serial, coordination):
    number = build(born, serial, coordination=coordination)
    ten = ten_digit_on_today(number, born)
    parsed = parse(ten, today=TODAY)
    assert parsed.normalized == number
    assert parsed.ten_digit == ten
    if "-" in ten:
        assert parse(ten.replace("-", ""), today=TODAY).normalized == number


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    age_days=st.integers(min_value=0, max_value=199 * 365),
    serial=serials,
)
def test_ten_digit_form_parses_back_on_the_same_day(born, age_days, serial):
    today = born + timedelta(days=age_days)
    parsed = parse(build(born, serial), today=today)
    assert parse(parsed.ten_digit, today=today) == parsed


@given(born=birth_dates, serial=serials, wrong=st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_always_rejected(born, serial, wrong):
    number = build(born, serial)
    bad = number[:-1] + str((int(number[-1]) + wrong) % 10)
    with pytest.raises(InvalidPersonnummer, match=CHECK_DIGIT):
        parse(bad, today=TODAY)
    with pytest.raises(InvalidPersonnummer, match=CHECK_DIGIT):
        parse(ten_digit_on_today(bad, born), today=TODAY)


@given(
    born=birth_dates,
    serial=serials,
    position=st.integers(min_value=2, max_value=11),
    shift=st.integers(min_value=1, max_value=9),
)
def test_a_one_digit_typo_after_the_century_is_never_accepted(born, serial, position, shift):
    number = build(born, serial)
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(InvalidPersonnummer):
        parse(typo, today=TODAY)


@given(st.text(max_size=20))
def test_arbitrary_text_is_either_a_number_or_invalid(text):
    try:
        number = parse(text, today=TODAY)
    except InvalidPersonnummer as error:
        assert error.code in {
            "empty",
            "characters",
            "length",
            "separator",
            "date",
            "future",
            "check_digit",
        }
    else:
        assert len(number.normalized) == 12
        assert number.birth_date <= TODAY
