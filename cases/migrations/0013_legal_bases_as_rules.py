"""Legal bases as rules (issue 15): what each lagrum allows, its appeal route per outcome,
its validity; repayment grounds and the appeal route on decision items; the nämnd's
contact details on the unit; the staff member's phone.

The data step corrects the lagrum that were wrong: 12 kap. 2 § allowed avslag (an avslag
is a 12:1 decision, appealed by förvaltningsbesvär – SoL 2025:400 35 kap. 1 § 1);
the old-law bases had no end in practice and there was no 4 kap. 5 § basis. Its rows are
frozen here (as of this migration); ``cases.models.legal_bases.DEFAULT_LEGAL_BASES`` is
what a new, empty table is seeded with, and a test keeps the two equal. A row an
administrator added keeps its old route for all three outcomes.
"""

import django.db.models.deletion
from django.db import migrations, models

ALL_KINDS = ["livelihood", "dental", "glasses", "furniture", "medical", "other"]
NEW = "Socialtjänstlag (2025:400)"
OLD = "Socialtjänstlag (2001:453)"
ADM, LEG = "forvaltningsbesvar", "laglighetsprovning"
KL = "kommunallagen (2017:725) 13 kap."
NEW_121 = "socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 1"
NEW_125 = "socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 2"
OLD_APPEAL = "socialtjänstlagen (2001:453) 16 kap. 3 §"
ALL = ("granted", "partly", "refused")
REDUCED = ("partly", "refused")

# code, law, reference, description, valid_from, valid_to, kinds, is_default, usage note,
# reduces_livelihood, calculation ref, immediate-effect ref, repayment rule, repayment ref,
# outcomes [(outcome, route, appeal ref)]
LEGAL_BASES = (
    (
        "sol2025-12-1",
        NEW,
        "12 kap. 1 §",
        "Försörjningsstöd och livsföringen i övrigt (rätten till bistånd)",
        "2025-07-01",
        None,
        ALL_KINDS,
        True,
        "Rätten till bistånd. Ett avslag på en ansökan om försörjningsstöd eller livsföring "
        "i övrigt är ett beslut enligt 12 kap. 1 §.",
        False,
        "12 kap. 7 §",
        "35 kap. 5 §",
        "reclaimable",
        "33 kap. 2 §",
        [(o, ADM, NEW_121) for o in ALL],
    ),
    (
        "sol2025-12-2",
        NEW,
        "12 kap. 2 §",
        "Bistånd utöver 12 kap. 1 §",
        "2025-07-01",
        None,
        ALL_KINDS,
        False,
        "Bara för bistånd som beviljas utöver rätten enligt 12 kap. 1 §. Det som inte "
        "beviljas är ett avslag enligt 12 kap. 1 § och kan överklagas genom "
        "förvaltningsbesvär – lägg det som en egen rad med 12 kap. 1 §.",
        False,
        "12 kap. 7 §",
        "",
        "conditional",
        "33 kap. 3 §",
        [("granted", LEG, KL)],
    ),
    (
        "sol2025-12-5",
        NEW,
        "12 kap. 5 §",
        "Nekat eller nedsatt försörjningsstöd (avböjd eller utebliven praktik eller "
        "kompetenshöjande verksamhet)",
        "2025-07-01",
        None,
        ["livelihood"],
        False,
        "Bara försörjningsstöd som nekas eller sätts ned för att den enskilde utan "
        "godtagbart skäl avböjt eller uteblivit från anvisad praktik (12 kap. 4 §).",
        True,
        "12 kap. 7 §",
        "35 kap. 5 §",
        "reclaimable",
        "33 kap. 2 §",
        [(o, ADM, NEW_125) for o in REDUCED],
    ),
    (
        "sol2001-4-1",
        OLD,
        "4 kap. 1 §",
        "Försörjningsstöd och livsföringen i övrigt (rätten till bistånd)",
        "2002-01-01",
        "2025-06-30",
        ALL_KINDS,
        True,
        "Den upphävda lagen: för beslut fattade före den 1 juli 2025.",
        False,
        "4 kap. 3 §",
        "16 kap. 4 §",
        "reclaimable",
        "9 kap. 2 § första stycket",
        [(o, ADM, OLD_APPEAL) for o in ALL],
    ),
    (
        "sol2001-4-2",
        OLD,
        "4 kap. 2 §",
        "Bistånd utöver 4 kap. 1 §",
        "2002-01-01",
        "2025-06-30",
        ALL_KINDS,
        False,
        "Den upphävda lagen, för beslut fattade före den 1 juli 2025. Bara för bistånd som "
        "beviljas utöver rätten enligt 4 kap. 1 §.",
        False,
        "4 kap. 3 §",
        "",
        "conditional",
        "9 kap. 2 § andra stycket",
        [("granted", LEG, KL)],
    ),
    (
        "sol2001-4-5",
        OLD,
        "4 kap. 5 §",
        "Vägran eller nedsättning av fortsatt försörjningsstöd (avböjd eller utebliven "
        "praktik eller kompetenshöjande verksamhet)",
        "2002-01-01",
        "2025-06-30",
        ["livelihood"],
        False,
        "Den upphävda lagen, för beslut fattade före den 1 juli 2025. Bara försörjningsstöd "
        "som vägras eller sätts ned.",
        True,
        "4 kap. 3 §",
        "16 kap. 4 §",
        "reclaimable",
        "9 kap. 2 § första stycket",
        [(o, ADM, OLD_APPEAL) for o in REDUCED],
    ),
)


def as_rules(apps, schema_editor):
    from datetime import date

    LegalBasis = apps.get_model("cases", "LegalBasis")
    LegalBasisOutcome = apps.get_model("cases", "LegalBasisOutcome")
    known = set()
    for (
        code,
        law,
        reference,
        description,
        valid_from,
        valid_to,
        kinds,
        is_default,
        note,
        reduces,
        calculation_ref,
        immediate_ref,
        repayment_rule,
        repayment_ref,
        outcomes,
    ) in LEGAL_BASES:
        known.add(code)
        basis, _created = LegalBasis.objects.update_or_create(
            code=code,
            defaults={
                "law": law,
                "reference": reference,
                "description": description,
                "appeal_route": outcomes[0][1],
                "valid_from": date.fromisoformat(valid_from),
                "valid_to": date.fromisoformat(valid_to) if valid_to else None,
                "allowed_kinds": kinds,
                "is_default": is_default,
                "usage_note": note,
                "reduces_livelihood": reduces,
                "calculation_reference": calculation_ref,
                "immediate_effect_reference": immediate_ref,
                "repayment_rule": repayment_rule,
                "repayment_reference": repayment_ref,
            },
        )
        LegalBasisOutcome.objects.filter(basis=basis).delete()
        LegalBasisOutcome.objects.bulk_create(
            LegalBasisOutcome(basis=basis, outcome=o, appeal_route=r, appeal_reference=ref)
            for o, r, ref in outcomes
        )
    for basis in LegalBasis.objects.exclude(code__in=known):
        basis.allowed_kinds = ALL_KINDS
        basis.save(update_fields=["allowed_kinds"])
        reference = KL if basis.appeal_route == LEG else f"{basis.law} (överklagande)"
        LegalBasisOutcome.objects.bulk_create(
            LegalBasisOutcome(
                basis=basis, outcome=o, appeal_route=basis.appeal_route, appeal_reference=reference
            )
            for o in ALL
        )
    if schema_editor.connection.vendor == "postgresql":
        # The inserted rows' deferred foreign-key checks must run before the column is
        # dropped below (PostgreSQL refuses ALTER TABLE with pending trigger events).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_notification_email_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appeals",
                to="cases.decisionitem",
                verbose_name="överklagad del",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="route",
            field=models.CharField(
                choices=[
                    ("forvaltningsbesvar", "Förvaltningsbesvär"),
                    ("laglighetsprovning", "Laglighetsprövning (kommunallagen 13 kap.)"),
                ],
                default="forvaltningsbesvar",
                max_length=30,
                verbose_name="överklagas genom",
            ),
        ),
        migrations.AddField(
            model_name="decisionitem",
            name="advance_benefit",
            field=models.CharField(
                blank=True,
                choices=[
                    ("akassa", "a-kassa"),
                    ("sickness_benefit", "sjukpenning"),
                    ("parental_benefit", "föräldrapenning"),
                    ("housing_allowance", "bostadsbidrag"),
                    ("maintenance_support", "underhållsstöd"),
                    ("activity_support", "aktivitetsstöd eller utvecklingsersättning"),
                    ("establishment_allowance", "etableringsersättning"),
                    ("sickness_compensation", "sjuk- eller aktivitetsersättning"),
                    ("pension", "pension"),
                    ("study_means", "studiemedel"),
                    ("other", "annan förmån eller ersättning"),
                ],
                db_default="",
                default="",
                max_length=30,
                verbose_name="förskott på",
            ),
        ),
        migrations.AddField(
            model_name="decisionitem",
            name="appeal_reference",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=120,
                verbose_name="lagrum för överklagandet",
            ),
        ),
        migrations.AddField(
            model_name="decisionitem",
            name="appeal_route",
            field=models.CharField(
                blank=True,
                choices=[
                    ("forvaltningsbesvar", "Förvaltningsbesvär"),
                    ("laglighetsprovning", "Laglighetsprövning (kommunallagen 13 kap.)"),
                ],
                db_default="",
                default="",
                max_length=30,
                verbose_name="överklagas genom",
            ),
        ),
        migrations.AddField(
            model_name="decisionitem",
            name="repayment_ground",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Ingen återbetalningsskyldighet"),
                    ("advance", "Förskott på förmån eller ersättning"),
                    ("labour_conflict", "Indragen i arbetskonflikt"),
                    ("assets_blocked", "Hindrad att förfoga över sina inkomster och tillgångar"),
                    ("condition", "Beviljat under villkor om återbetalning"),
                ],
                db_default="",
                default="",
                max_length=20,
                verbose_name="återbetalningsskyldighet",
            ),
        ),
        migrations.AddField(
            model_name="decisionitem",
            name="repayment_note",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=300,
                verbose_name="om återbetalningen",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="allowed_kinds",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Vilka slags poster (försörjningsstöd, tandvård …) lagrummet kan avse.",
                verbose_name="avser",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="calculation_reference",
            field=models.CharField(
                blank=True,
                help_text="Där riksnormen och den individuella beräkningen regleras.",
                max_length=80,
                verbose_name="lagrum för beräkningen",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="immediate_effect_reference",
            field=models.CharField(
                blank=True, max_length=80, verbose_name="lagrum för att beslutet gäller omedelbart"
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="is_default",
            field=models.BooleanField(
                default=False,
                help_text="Föreslås för nya beslut när lagrummet gäller och avser posten.",
                verbose_name="förval",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="reduces_livelihood",
            field=models.BooleanField(
                default=False,
                help_text="Justeringen i beräkningen är då en nedsättning enligt detta lagrum.",
                verbose_name="nekar eller sätter ned försörjningsstöd",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="repayment_reference",
            field=models.CharField(
                blank=True, max_length=80, verbose_name="lagrum för återbetalning"
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="repayment_rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Kan inte göras återbetalningspliktigt"),
                    (
                        "reclaimable",
                        "Förskott på förmån, arbetskonflikt eller hinder att förfoga över inkomster",
                    ),
                    ("conditional", "Villkor om återbetalning"),
                ],
                default="",
                max_length=20,
                verbose_name="återbetalningsskyldighet",
            ),
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="usage_note",
            field=models.CharField(
                blank=True,
                help_text="Visas för handläggaren när ett beslut inte stämmer med lagrummet.",
                max_length=400,
                verbose_name="när lagrummet används",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="board_name",
            field=models.CharField(
                blank=True,
                help_text="T.ex. Arbetsmarknads- och vuxenutbildningsnämnden. Tomt = kommunens.",
                max_length=160,
                verbose_name="nämnd",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-post"),
        ),
        migrations.AddField(
            model_name="unit",
            name="phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="telefon"),
        ),
        migrations.AddField(
            model_name="unit",
            name="postal_address",
            field=models.TextField(
                blank=True,
                help_text="En rad per rad i adressen. Tomt = kommunens.",
                verbose_name="postadress",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="telefon"),
        ),
        migrations.AlterField(
            model_name="user",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="Som den står i beslutsbrev, t.ex. Socialsekreterare eller Enhetschef.",
                max_length=120,
                verbose_name="titel",
            ),
        ),
        migrations.CreateModel(
            name="LegalBasisOutcome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("granted", "Bifall"),
                            ("partly", "Delvis bifall"),
                            ("refused", "Avslag"),
                        ],
                        max_length=10,
                        verbose_name="utfall",
                    ),
                ),
                (
                    "appeal_route",
                    models.CharField(
                        choices=[
                            ("forvaltningsbesvar", "Förvaltningsbesvär"),
                            ("laglighetsprovning", "Laglighetsprövning (kommunallagen 13 kap.)"),
                        ],
                        max_length=30,
                        verbose_name="överklagas genom",
                    ),
                ),
                (
                    "appeal_reference",
                    models.CharField(
                        help_text="T.ex. socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 1.",
                        max_length=120,
                        verbose_name="lagrum för överklagandet",
                    ),
                ),
                (
                    "basis",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outcomes",
                        to="cases.legalbasis",
                        verbose_name="lagrum",
                    ),
                ),
            ],
            options={
                "verbose_name": "tillåtet utfall",
                "verbose_name_plural": "tillåtna utfall",
                "ordering": ["basis", "outcome"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("basis", "outcome"), name="legal_basis_outcome_once"
                    )
                ],
            },
        ),
        migrations.RunPython(as_rules, migrations.RunPython.noop),
        migrations.RemoveField(model_name="legalbasis", name="appeal_route"),
    ]
