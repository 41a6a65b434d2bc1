"""The attributes of the Swedish eID framework (DIGG, "Attribute Specification for the
Swedish eID Framework", ELN-0604) that the e-service asks for, as pysaml2 attribute
converters: SAML names (urn:oid, name format uri) <-> the framework's friendly names."""

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "fro": {
        "urn:oid:1.2.752.29.4.13": "personalIdentityNumber",
        "urn:oid:2.5.4.42": "givenName",
        "urn:oid:2.5.4.4": "sn",
        "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
        "urn:oid:1.3.6.1.5.5.7.9.1": "dateOfBirth",
    },
    "to": {
        "personalIdentityNumber": "urn:oid:1.2.752.29.4.13",
        "givenName": "urn:oid:2.5.4.42",
        "sn": "urn:oid:2.5.4.4",
        "displayName": "urn:oid:2.16.840.1.113730.3.1.241",
        "dateOfBirth": "urn:oid:1.3.6.1.5.5.7.9.1",
    },
}
