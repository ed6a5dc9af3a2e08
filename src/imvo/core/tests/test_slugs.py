"""A readable key that is not taken: the base itself, else the first free numbered one."""

from imvo.core.slugs import first_free


def test_the_base_when_it_is_free():
    assert first_free("fnv", set()) == "fnv"
    assert first_free("fnv", {"cnv", "fnv-2"}) == "fnv"


def test_the_first_free_number_after_the_base():
    assert first_free("fnv", {"fnv"}) == "fnv-2"
    assert first_free("fnv", {"fnv", "fnv-2", "fnv-4"}) == "fnv-3"
