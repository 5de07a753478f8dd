import pytest

from messaging.domain.pools import Choice, NoSenderAvailable, PoolSender, Recipient, area_code, choose_sender

US_NY = PoolSender(1, "long_code", "US", "+12125550100", True, load=5)
US_SF = PoolSender(2, "long_code", "US", "+14155550100", True, load=9)
US_TF = PoolSender(3, "toll_free", "US", "+18445550100", True, load=0)
UK_LC = PoolSender(4, "long_code", "GB", "+447911123400", True, load=1)
UK_ALPHA = PoolSender(5, "alphanumeric", "GB", "ACME", False, load=0)
UNREGISTERED = PoolSender(6, "a2p_10dlc", "US", "+14155550199", True, load=0, usable=False)
POOL = [US_NY, US_SF, US_TF, UK_LC, UK_ALPHA, UNREGISTERED]


@pytest.mark.parametrize(
    ("recipient", "kwargs", "expected"),
    [
        (Recipient("+14155550123", "US"), {}, Choice(2, "country match, area code 415")),
        (Recipient("+12125550123", "US"), {}, Choice(1, "country match, area code 212")),
        (Recipient("+13125550123", "US"), {}, Choice(3, "country match, least loaded")),
        (
            Recipient("+14155550123", "US"),
            {"sticky_sender_id": 1},
            Choice(1, "sticky: the sender this contact had before"),
        ),
        (Recipient("+14155550123", "US"), {"sticky_sender_id": 4}, Choice(2, "country match, area code 415")),
        (Recipient("+447911000001", "GB"), {}, Choice(4, "country match, least loaded")),
        (
            Recipient("+447911000001", "GB"),
            {"alphanumeric_countries": frozenset({"GB"})},
            Choice(5, "country match, least loaded"),
        ),
        (
            Recipient("+447911000001", "GB"),
            {"alphanumeric_countries": frozenset({"GB"}), "two_way": True},
            Choice(4, "country match, least loaded"),
        ),
        (Recipient("+33612345678", "FR"), {}, Choice(3, "no sender in the recipient's country, least loaded")),
    ],
)
def test_choose_sender(recipient, kwargs, expected):
    assert choose_sender(POOL, recipient, **kwargs) == expected


def test_unusable_senders_are_never_chosen_even_when_sticky():
    choice = choose_sender(POOL, Recipient("+14155550123", "US"), sticky_sender_id=6)
    assert choice.sender_id != 6


def test_alphanumeric_only_pool_cannot_take_replies():
    with pytest.raises(NoSenderAvailable, match="no sender in the pool may send to GB \\(two-way\\)"):
        choose_sender(
            [UK_ALPHA], Recipient("+447911000001", "GB"), two_way=True, alphanumeric_countries=frozenset({"GB"})
        )


def test_alphanumeric_not_used_where_the_country_forbids_it():
    with pytest.raises(NoSenderAvailable, match="no sender in the pool may send to US \\(one-way\\)"):
        choose_sender([UK_ALPHA], Recipient("+14155550123", "US"), alphanumeric_countries=frozenset({"GB"}))


def test_ties_in_load_break_on_sender_id():
    a = PoolSender(10, "long_code", "US", "+13105550100", True, load=1)
    b = PoolSender(9, "long_code", "US", "+13105550101", True, load=1)
    assert choose_sender([a, b], Recipient("+16465550123", "US")).sender_id == 9


@pytest.mark.parametrize(("number", "code"), [("+14155550123", "415"), ("+447911123400", ""), ("+1415", "")])
def test_area_code(number, code):
    assert area_code(number) == code


US_SHORT_CODE = PoolSender(7, "short_code", "US", "12345", True, load=50)
GB_SHORT_CODE = PoolSender(8, "short_code", "GB", "60123", True, load=0)


@pytest.mark.parametrize(
    ("pool", "recipient", "kwargs", "expected"),
    [
        # a short code in the pool goes first, as in Twilio's Messaging Services, even when busier
        ([*POOL, US_SHORT_CODE], Recipient("+14155550123", "US"), {}, Choice(7, "country match, short code first")),
        # and before the sticky sender
        (
            [*POOL, US_SHORT_CODE],
            Recipient("+14155550123", "US"),
            {"sticky_sender_id": 1},
            Choice(7, "country match, short code first"),
        ),
        (
            [*POOL, US_SHORT_CODE],
            Recipient("+14155550123", "US"),
            {"two_way": True},
            Choice(7, "country match, short code first"),
        ),
        # the least loaded of two short codes of the country
        (
            [*POOL, US_SHORT_CODE, PoolSender(9, "short_code", "US", "54321", True, load=10)],
            Recipient("+14155550123", "US"),
            {},
            Choice(9, "country match, short code first"),
        ),
        # never a short code of another country: it reaches only its own carriers
        ([*POOL, GB_SHORT_CODE], Recipient("+14155550123", "US"), {}, Choice(2, "country match, area code 415")),
        (
            [US_TF, GB_SHORT_CODE],
            Recipient("+33612345678", "FR"),
            {},
            Choice(3, "no sender in the recipient's country, least loaded"),
        ),
        # an unusable short code is skipped
        (
            [*POOL, PoolSender(10, "short_code", "US", "11111", True, usable=False)],
            Recipient("+14155550123", "US"),
            {},
            Choice(2, "country match, area code 415"),
        ),
    ],
)
def test_pools_prefer_a_short_code_of_the_recipients_country(pool, recipient, kwargs, expected):
    assert choose_sender(pool, recipient, **kwargs) == expected


def test_a_pool_of_foreign_short_codes_cannot_send():
    with pytest.raises(NoSenderAvailable, match="no sender in the pool may send to FR \\(one-way\\)"):
        choose_sender([US_SHORT_CODE, GB_SHORT_CODE], Recipient("+33612345678", "FR"))
