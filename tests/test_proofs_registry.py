"""proofs/__init__.py: the registry of claims behind ``dlnsmooth verify``."""

import pytest

import proofs
from proofs import prop7_deep_linear


def test_every_registered_claim_loads_and_names_itself():
    for name in proofs.CLAIMS:
        module = proofs.load(name)
        assert module.NAME == name and module.TITLE and callable(module.verify)
    assert proofs.load("prop7") is prop7_deep_linear


def test_an_unknown_claim_is_named_with_the_registered_ones():
    with pytest.raises(proofs.UnknownClaimError, match="registered: .*prop7"):
        proofs.load("nope")
