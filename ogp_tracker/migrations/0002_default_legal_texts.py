"""Create the legal pages with default texts that staff complete in the admin.

A new site has had no accessibility audit, so it declares itself "not
compliant" (non conforme), as the French accessibility rules (RGAA) require.
Bracketed parts are for the publisher to fill in.
"""

from django.db import migrations

PAGES = {
    "accessibility": {
        "title_fr": "Déclaration d’accessibilité",
        "title_en": "Accessibility statement",
        "body_fr": """\
[Nom de l’éditeur] s’engage à rendre ses sites internet accessibles, conformément à
l’article 47 de la loi n° 2005-102 du 11 février 2005.

Cette déclaration d’accessibilité s’applique au site de suivi du plan d’action
national pour un gouvernement ouvert.

## État de conformité

Ce site est **non conforme** avec le référentiel général d’amélioration de
l’accessibilité (RGAA) 4.1 : aucun audit de conformité n’a encore été réalisé.

## Contenus non accessibles

Tant qu’un audit n’a pas été réalisé, la liste des non-conformités n’est pas
connue. Les pages publiques sont conçues pour être utilisables au clavier, avec un
lecteur d’écran et sans JavaScript ; les graphiques sont accompagnés d’un tableau
de données.

## Établissement de cette déclaration

Cette déclaration a été établie le [date]. Elle sera mise à jour après l’audit.

## Retour d’information et contact

Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez le
responsable du site pour être orienté vers une alternative accessible ou obtenir
le contenu sous une autre forme : [adresse de contact].

## Voies de recours

Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un
contenu ou à un service du site et que vous n’avez pas obtenu de réponse
satisfaisante, vous pouvez saisir le Défenseur des droits :

- par le [formulaire en ligne](https://formulaire.defenseurdesdroits.fr/) ;
- auprès d’un [délégué dans votre région](https://www.defenseurdesdroits.fr/saisir/delegues) ;
- par courrier, sans timbre : Défenseur des droits, Libre réponse 71120,
  75342 Paris CEDEX 07.
""",
        "body_en": """\
[Publisher’s name] is committed to making its websites accessible, as article 47 of
French law no. 2005-102 of 11 February 2005 requires.

This statement covers the website that follows the national action plan for
open government.

## Compliance status

This site is **not compliant** with the French accessibility standard (RGAA 4.1):
no compliance audit has been carried out yet.

## Content that is not accessible

Until an audit is done, the list of failures is not known. The public pages are
designed to work with a keyboard, a screen reader and without JavaScript; every
chart comes with a data table.

## Preparation of this statement

This statement was prepared on [date]. It will be updated after the audit.

## Feedback and contact

If you cannot reach some content or service, contact the site’s publisher to be
directed to an accessible alternative or to get the content in another form:
[contact address].

## Remedies

If you reported an accessibility problem that keeps you from some content or
service and did not get a satisfactory answer, you may refer the matter to the
French Defender of Rights (Défenseur des droits):

- through the [online form](https://formulaire.defenseurdesdroits.fr/);
- through a [delegate in your region](https://www.defenseurdesdroits.fr/saisir/delegues);
- by post, without a stamp: Défenseur des droits, Libre réponse 71120,
  75342 Paris CEDEX 07.
""",
    },
    "legal-notice": {
        "title_fr": "Mentions légales",
        "title_en": "Legal notice",
        "body_fr": """\
## Éditeur

[Nom et adresse de l’éditeur du site]

Directeur ou directrice de la publication : [nom]

## Hébergement

[Nom, adresse et téléphone de l’hébergeur]

## Réutilisation des contenus

Sauf mention contraire, les contenus de ce site sont publiés sous
[Licence Ouverte / Etalab 2.0](https://www.etalab.gouv.fr/licence-ouverte-open-licence/).
Les commentaires restent la propriété de leurs auteurs.

## Logiciel

Ce site fonctionne avec ogp-tracker, un logiciel libre.
""",
        "body_en": """\
## Publisher

[Name and address of the site’s publisher]

Director of publication: [name]

## Hosting

[Name, address and telephone of the host]

## Reuse of the content

Unless stated otherwise, the content of this site is published under the
[Licence Ouverte / Etalab 2.0](https://www.etalab.gouv.fr/licence-ouverte-open-licence/).
Comments remain the property of their authors.

## Software

This site runs ogp-tracker, free and open-source software.
""",
    },
    "personal-data": {
        "title_fr": "Données personnelles",
        "title_en": "Personal data",
        "body_fr": """\
## Consulter le site

Consulter le site ne demande aucune donnée personnelle. Aucune mesure d’audience
ni aucun service tiers n’est utilisé.

## Compte et commentaires

Pour commenter ou suivre un engagement, vous créez un compte avec votre adresse
électronique, un nom affiché et, si vous le souhaitez, votre organisation. Ces
données servent uniquement à publier vos commentaires et à vous envoyer les
notifications que vous avez demandées. Votre adresse électronique n’est jamais
publiée.

Responsable du traitement : [nom]. Durée de conservation : [durée].

## Vos droits

Vous pouvez accéder à vos données, les rectifier, les effacer ou vous opposer à
leur traitement en écrivant à [adresse de contact]. Si vous estimez que vos droits
ne sont pas respectés, vous pouvez adresser une réclamation à la
[CNIL](https://www.cnil.fr/fr/plaintes).
""",
        "body_en": """\
## Reading the site

Reading the site requires no personal data. No audience measurement and no
third-party service is used.

## Account and comments

To comment on or follow a commitment, you create an account with your e-mail
address, a display name and, if you wish, your organisation. These data are used
only to publish your comments and to send you the notifications you asked for.
Your e-mail address is never published.

Data controller: [name]. Retention period: [period].

## Your rights

You may access, correct or erase your data, or object to its processing, by
writing to [contact address]. If you consider your rights are not respected, you
may lodge a complaint with the [CNIL](https://www.cnil.fr/fr/plaintes).
""",
    },
    "cookies": {
        "title_fr": "Gestion des cookies",
        "title_en": "Cookie management",
        "body_fr": """\
Les pages publiques de ce site ne déposent aucun cookie.

Si vous vous connectez, deux cookies strictement nécessaires sont déposés : l’un
garde votre session ouverte, l’autre protège les formulaires contre la
falsification de requêtes. Ils disparaissent à la déconnexion ou à leur
expiration.

Aucun cookie de mesure d’audience, de publicité ou de réseau social n’est
utilisé : aucun consentement n’est donc demandé.
""",
        "body_en": """\
The public pages of this site set no cookie.

If you sign in, two strictly necessary cookies are set: one keeps your session
open, the other protects forms against request forgery. They go when you sign out
or when they expire.

No audience-measurement, advertising or social-network cookie is used, so no
consent is asked for.
""",
    },
    "site-map": {
        "title_fr": "Plan du site",
        "title_en": "Site map",
        "body_fr": "",
        "body_en": "",
    },
}


def create_pages(apps, schema_editor):
    LegalPage = apps.get_model("ogp_tracker", "LegalPage")
    for kind, texts in PAGES.items():
        LegalPage.objects.get_or_create(kind=kind, defaults=texts)


def remove_pages(apps, schema_editor):
    apps.get_model("ogp_tracker", "LegalPage").objects.filter(kind__in=PAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("ogp_tracker", "0001_legal_pages")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
