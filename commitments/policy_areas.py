"""French names of the OGP policy areas that plans name in English.

Plan files use the OGP's English names ("Open Data"); the French pages show
these names instead. A name missing here stays in English on French pages
until staff write its French name in the back-office.
"""

FRENCH_NAMES = {
    "access to information": "Accès à l’information",
    "aid": "Aide au développement",
    "anti corruption and integrity": "Lutte contre la corruption et intégrité",
    "audits": "Audits",
    "beneficial ownership": "Bénéficiaires effectifs",
    "capacity building": "Renforcement des capacités",
    "civic space": "Espace civique",
    "climate mitigation and adaptation": (
        "Atténuation du changement climatique et adaptation"
    ),
    "data stewardship and privacy": "Gestion des données et vie privée",
    "democratizing decision-making": "Démocratisation de la prise de décision",
    "digital governance": "Gouvernance numérique",
    "digital transformation": "Transformation numérique",
    "economic, social and environmental council": (
        "Conseil économique, social et environnemental"
    ),
    "education": "Éducation",
    "energy": "Énergie",
    "environment and climate": "Environnement et climat",
    "environmental regulation": "Réglementation environnementale",
    "fiscal openness": "Transparence budgétaire et fiscale",
    "gender and inclusion": "Égalité femmes-hommes et inclusion",
    "health": "Santé",
    "health data hub": "Plateforme des données de santé (Health Data Hub)",
    "interministerial directorate of public transformation – innovation department": (
        "Direction interministérielle de la transformation publique – "
        "département Innovation"
    ),
    "justice": "Justice",
    "legislative openness": "Ouverture du Parlement",
    "lobbying": "Représentation d’intérêts (lobbying)",
    "local commitments": "Engagements locaux",
    "mainstreaming participation": "Généralisation de la participation",
    "ministry for democratic renewal": "Ministère chargé du Renouveau démocratique",
    "open contracting": "Commande publique ouverte",
    "open data": "Données ouvertes",
    "open justice": "Justice ouverte",
    "participation in lawmaking": "Participation à l’élaboration des lois",
    "public participation": "Participation du public",
    "public procurement": "Marchés publics",
    "public service delivery": "Qualité des services publics",
    "publication of budget/fiscal information": (
        "Publication des informations budgétaires et fiscales"
    ),
    "regulatory governance": "Gouvernance réglementaire",
    "right to information": "Droit d’accès à l’information",
    "science & technology": "Sciences et technologies",
    "stimulus and economic recovery": "Plan de relance économique",
    "whistleblower protections": "Protection des lanceurs d’alerte",
}


def french_name(english: str) -> str:
    """Return the French name of an OGP policy area, or "" when not known."""
    return FRENCH_NAMES.get(english.strip().casefold(), "")
