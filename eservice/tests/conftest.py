from eservice.tests.idp import client_idp, eid  # noqa: F401 – fixtures
