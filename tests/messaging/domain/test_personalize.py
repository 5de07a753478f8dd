import pytest

from messaging.domain.personalize import TemplateSyntaxError, compile_template

KNOWN = "(known: default, upper, lower, capitalize, trim)"
CONTACT = {
    "first_name": "Ada",
    "name": "Ada Lovelace",
    "phone_number": "+14155550100",
    "attributes": {"plan": "gold", "visits": 3, "vip": True, "blank": "", "nested": {"x": "y"}},
}


@pytest.mark.parametrize(
    ("template", "text", "missing"),
    [
        ("Hello", "Hello", ()),
        ("", "", ()),
        ("Hi {{ first_name }}!", "Hi Ada!", ()),
        ("Hi {{first_name}}", "Hi Ada", ()),
        ("{{ attributes.plan }} plan", "gold plan", ()),
        ("{{ attributes.visits }} visits", "3 visits", ()),
        ("{{ attributes.vip }}", "true", ()),
        ('{{ attributes.tier | default:"friend" }}', "friend", ()),
        ('{{ attributes.blank | default:"none" }}', "none", ()),
        ('{{ attributes.plan | default:"x" }}', "gold", ()),
        ("Hi {{ attributes.tier }}.", "Hi .", ("attributes.tier",)),
        ("{{ nickname }} {{ nickname }} {{ x.y }}", "  ", ("nickname", "x.y")),
        ("{{ attributes.nested }}", "", ("attributes.nested",)),
        ("{{ attributes }}", "", ("attributes",)),
        ("{{ first_name | upper }}", "ADA", ()),
        ("{{ name | lower }}", "ada lovelace", ()),
        ('{{ attributes.tier | default:"dear friend" | capitalize }}', "Dear friend", ()),
        ('{{ attributes.tier | default:"a \\"quoted\\" | bar" }}', 'a "quoted" | bar', ()),
        ("a }} b", "a }} b", ()),
        ("{{ __class__ }}", None, None),
    ],
)
def test_render(template, text, missing):
    if text is None:
        with pytest.raises(TemplateSyntaxError):
            compile_template(template)
        return
    rendered = compile_template(template).render(CONTACT)
    assert (rendered.text, rendered.missing) == (text, missing)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Hi {{ first_name", "'{{' at character 4 is never closed with '}}'"),
        ("{{ }}", "the placeholder at character 1 names nothing"),
        ("{{ a.__init__ }}", "'a.__init__' at character 1 is not a field name (letters, digits, _ and dots)"),
        ("{{ a[0] }}", "'a[0]' at character 1 is not a field name (letters, digits, _ and dots)"),
        ("{{ a.b.c.d.e }}", "'a.b.c.d.e' at character 1 is not a field name (letters, digits, _ and dots)"),
        ("x {{ name | safe }}", "unknown filter 'safe' at character 3 " + KNOWN),
        ("{{ name | default }}", 'default at character 1 needs a value: default:"…"'),
        ("{{ name | default:'x' }}", "'default:'x'' at character 1 is not a filter"),
        ('{{ name | upper:"x" }}', "unknown filter 'upper' at character 1 " + KNOWN),
    ],
)
def test_syntax_errors_name_the_place(template, message):
    with pytest.raises(TemplateSyntaxError) as caught:
        compile_template(template, field="variants[1].body")
    assert (caught.value.field, caught.value.message) == ("variants[1].body", message)


def test_values_are_read_from_the_dict_only():
    class Sneaky:
        secret = "leaked"

    rendered = compile_template("{{ obj.secret }}{{ obj }}").render({"obj": Sneaky()})
    assert (rendered.text, rendered.missing) == ("", ("obj.secret", "obj"))


def test_placeholders_listed():
    template = compile_template('Hi {{ first_name }}, {{ attributes.plan | default:"x" }}')
    assert [(p.name, p.default) for p in template.placeholders] == [("first_name", None), ("attributes.plan", "x")]
    assert not template.is_static and compile_template("plain").is_static
