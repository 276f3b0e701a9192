"""The catalogue of official sources: one registry entry per file the platform can fetch or import.

Each entry says what the file is (French title, publisher, licence, vintage), where the official
file is (``url``; ``None`` when no stable file address could be confirmed, then ``page`` is where
to find it by hand), what it looks like (format, separator, encoding, the columns an importer
needs) and which command reads it. ``sha256`` is set only when the bytes are known to be fixed
(npm tarballs are immutable); INSEE and data.gouv.fr files can be republished under the same
address, so their digest is recorded at download time instead (see ``pvd.sources.fetch``).

Addresses were checked against public references (INSEE pages and reuses quoting them) when this
catalogue was written; ``notes`` say when one could not be confirmed. Built-in entries use
:func:`register` like any other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LICENCE_OUVERTE = "Licence Ouverte 2.0 (Etalab)"
INSEE = "Institut national de la statistique et des études économiques (INSEE)"


@dataclass(frozen=True)
class Layout:
    """What the file looks like: enough to check it before reading it."""

    format: str  # "csv", "zip (csv)", "tgz (npm)"...
    separator: str | None = None
    encoding: str | None = None
    columns: tuple[str, ...] = ()  # the columns the importer needs (in the official order)
    member: str | None = None  # the file read inside an archive


@dataclass(frozen=True)
class Source:
    name: str  # slug, used by `pvd data fetch NAME`
    title: str  # French
    publisher: str
    licence: str
    vintage: str
    page: str  # the official page describing the file
    url: str | None  # the official file; None when not confirmed (see notes)
    filename: str  # the name the file is saved under in the cache
    layout: Layout
    import_command: str | None = None  # with {path}; None when no importer reads it yet
    sha256: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def import_hint(self, path: str) -> str:
        if self.import_command is None:
            return "aucune commande d'import pour l'instant"
        return self.import_command.format(path=path)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["layout"]["columns"] = list(self.layout.columns)
        data["tags"] = list(self.tags)
        return data


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    if source.name in _REGISTRY:
        raise ValueError(f"source déjà déclarée : {source.name}")
    _REGISTRY[source.name] = source
    return source


def get(name: str) -> Source | None:
    return _REGISTRY.get(name)


def sources() -> list[Source]:
    return list(_REGISTRY.values())


def names() -> list[str]:
    return list(_REGISTRY)


# --- INSEE, Code officiel géographique 2026 --------------------------------------------------
COG_PAGE_2026 = "https://www.insee.fr/fr/information/8740222"
COG_FILES_2026 = "https://www.insee.fr/fr/statistiques/fichier/8740222/"
_COG_NOTE = (
    "COG au 1er janvier 2026 ; fichiers CSV en UTF-8, séparateur virgule. Adresse vérifiée "
    "d'après la page INSEE et plusieurs réutilisations publiques."
)

register(
    Source(
        name="insee-cog-communes-2026",
        title="Code officiel géographique 2026 : communes, communes associées et déléguées, "
        "arrondissements municipaux",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2026",
        page=COG_PAGE_2026,
        url=COG_FILES_2026 + "v_commune_2026.csv",
        filename="v_commune_2026.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=(
                "TYPECOM",
                "COM",
                "REG",
                "DEP",
                "CTCD",
                "ARR",
                "TNCC",
                "NCC",
                "NCCENR",
                "LIBELLE",
                "CAN",
                "COMPARENT",
            ),
        ),
        import_command="pvd data import-cog {path}",
        notes=_COG_NOTE,
        tags=("cog", "référentiel"),
    )
)
register(
    Source(
        name="insee-cog-departements-2026",
        title="Code officiel géographique 2026 : départements",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2026",
        page=COG_PAGE_2026,
        url=COG_FILES_2026 + "v_departement_2026.csv",
        filename="v_departement_2026.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=("DEP", "REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"),
        ),
        import_command="pvd data import-cog {path}",
        notes=_COG_NOTE,
        tags=("cog", "référentiel"),
    )
)
register(
    Source(
        name="insee-cog-regions-2026",
        title="Code officiel géographique 2026 : régions",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2026",
        page=COG_PAGE_2026,
        url=COG_FILES_2026 + "v_region_2026.csv",
        filename="v_region_2026.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=("REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"),
        ),
        import_command="pvd data import-cog {path}",
        notes=_COG_NOTE,
        tags=("cog", "référentiel"),
    )
)
register(
    Source(
        name="insee-cog-arrondissements-2026",
        title="Code officiel géographique 2026 : arrondissements",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2026",
        page=COG_PAGE_2026,
        url=COG_FILES_2026 + "v_arrondissement_2026.csv",
        filename="v_arrondissement_2026.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=("ARR", "DEP", "REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"),
        ),
        import_command="pvd data import-cog {path}",
        notes=_COG_NOTE + " En-tête d'après les millésimes précédents (non revérifié pour 2026).",
        tags=("cog", "référentiel"),
    )
)
register(
    Source(
        name="insee-cog-mouvements-2026",
        title="Code officiel géographique 2026 : événements sur les communes depuis 1943 "
        "(fusions, scissions, changements de nom ou de code)",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2026",
        page=COG_PAGE_2026,
        url=COG_FILES_2026 + "v_mvt_commune_2026.csv",
        filename="v_mvt_commune_2026.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=(
                "MOD",
                "DATE_EFF",
                "TYPECOM_AV",
                "COM_AV",
                "TNCC_AV",
                "NCC_AV",
                "NCCENR_AV",
                "LIBELLE_AV",
                "TYPECOM_AP",
                "COM_AP",
                "TNCC_AP",
                "NCC_AP",
                "NCCENR_AP",
                "LIBELLE_AP",
            ),
        ),
        import_command=None,
        notes=_COG_NOTE + " Sert à re-baser des codes anciens ; pas encore d'import dédié (les "
        "communes déléguées et associées du référentiel couvrent la plupart des fusions).",
        tags=("cog", "re-basement"),
    )
)

# --- INSEE, populations légales (de référence) ---------------------------------------------
register(
    Source(
        name="insee-populations-2023",
        title="Recensement de la population : populations de référence 2023 (populations "
        "légales en vigueur au 1er janvier 2026, géographie au 1er janvier 2025)",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2023",
        page="https://www.insee.fr/fr/statistiques/8680726",
        url="https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip",
        filename="ensemble.zip",
        layout=Layout(
            format="zip (csv)",
            separator=";",
            encoding="UTF-8",
            columns=(
                "REG",
                "Région",
                "DEP",
                "CODARR",
                "CODCAN",
                "CODCOM",
                "COM",
                "Commune",
                "PMUN",
                "PCAP",
                "PTOT",
            ),
            member="donnees_communes.csv",
        ),
        import_command="pvd data import-population {path} --millesime 2023",
        notes="L'archive contient aussi les départements, régions, cantons, arrondissements et "
        "collectivités d'outre-mer ; Mayotte (976) n'est pas dans donnees_communes.csv. "
        "L'en-tête est déduit d'un extrait publié du fichier : l'importateur accepte aussi les "
        "dispositions antérieures (CODDEP/CODCOM, COM = nom).",
        tags=("population",),
    )
)
register(
    Source(
        name="insee-series-historiques-2022",
        title="Recensement de la population : séries historiques 1968-2022, base communale "
        "(population, superficie, naissances, décès, logements)",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2022 (géographie au 1er janvier 2025)",
        page="https://www.insee.fr/fr/statistiques/8582555",
        url=None,
        filename="base-cc-serie-historique-2022.CSV",
        layout=Layout(
            format="zip (csv)",
            separator=";",
            encoding="UTF-8",
            columns=("CODGEO", "P22_POP", "P16_POP", "SUPERF", "NAIS1621", "DECE1621", "P22_LOG"),
            member="base-cc-serie-historique-2022.CSV",
        ),
        import_command="pvd data import-population {path} --millesime 2022",
        notes="Adresse directe du fichier non confirmée : le télécharger depuis la page. "
        "import-population lit la colonne P22_POP (population municipale) ; les autres "
        "colonnes serviront aux indicateurs.",
        tags=("population", "indicateurs"),
    )
)

# --- INSEE, revenus et équipements -----------------------------------------------------------
register(
    Source(
        name="insee-filosofi-2021",
        title="Filosofi 2021 : revenus, pauvreté et niveau de vie, base communale "
        "(géographie 2025)",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2021",
        page="https://www.insee.fr/fr/statistiques/7756729",
        url="https://www.insee.fr/fr/statistiques/fichier/7756729/base-cc-filosofi-2021-geo2025_csv.zip",
        filename="base-cc-filosofi-2021-geo2025_csv.zip",
        layout=Layout(
            format="zip (csv)",
            separator=";",
            encoding="UTF-8",
            columns=("GEO", "GEO_OBJECT", "FILOSOFI_MEASURE", "TIME_PERIOD", "OBS_VALUE"),
        ),
        import_command="pvd indicators import filosofi {path}",
        notes="Secret statistique pour les petites communes (cellules vides, CONF_STATUS C ; "
        "« s », « nd » dans l'ancienne disposition) : valeurs manquantes, jamais zéro. Adresse "
        "citée par plusieurs réutilisations. Disposition « longue » Melodi (GEO, GEO_OBJECT, "
        "FILOSOFI_MEASURE, TIME_PERIOD, OBS_VALUE ; mesures MED_SL et PR_MD60), confirmée par "
        "des réutilisations publiques ; l'ancienne disposition large (CODGEO;MED21;TP6021) est "
        "lue aussi.",
        tags=("indicateurs", "revenus"),
    )
)
register(
    Source(
        name="insee-bpe-2024",
        title="Base permanente des équipements (BPE) 2024 : équipements géolocalisés, "
        "France entière",
        publisher=INSEE,
        licence=LICENCE_OUVERTE,
        vintage="2024",
        page="https://www.insee.fr/fr/statistiques/8217537",
        url="https://www.insee.fr/fr/statistiques/fichier/8217537/bpe24_ensemble_xy_csv.zip",
        filename="bpe24_ensemble_xy_csv.zip",
        layout=Layout(
            format="zip (csv)",
            separator=";",
            encoding="UTF-8",
            columns=("DEPCOM", "TYPEQU"),
            member="BPE24.csv",
        ),
        import_command="pvd indicators import bpe {path}",
        notes="Une ligne par équipement (DEPCOM = commune, TYPEQU = type, ex. A206 bureau de poste). "
        "Adresse du fichier relevée dans une seule réutilisation : à confirmer sur la page.",
        tags=("indicateurs", "équipements", "centralité"),
    )
)

# --- INSEE, recensement 2021: bases communales used by the portrait de ville ---------------
_RP2021 = (
    "Adresse directe du fichier non confirmée : le télécharger depuis la page (archive zip "
    "contenant un CSV à séparateur point-virgule, clé CODGEO)."
)
for _name, _title, _page, _member, _columns, _kind in (
    (
        "insee-logement-2021",
        "Recensement 2021 : logement, base communale",
        "https://www.insee.fr/fr/recherche?q=base-cc-logement-2021",
        "base-cc-logement-2021.CSV",
        ("CODGEO", "P21_LOG", "P21_RP", "P21_RSECOCC", "P21_LOGVAC"),
        "logement",
    ),
    (
        "insee-population-ages-2021",
        "Recensement 2021 : évolution et structure de la population, base communale",
        "https://www.insee.fr/fr/recherche?q=base-cc-evol-struct-pop-2021",
        "base-cc-evol-struct-pop-2021.CSV",
        ("CODGEO", "P21_POP", "P21_POP75P"),
        "ages",
    ),
    (
        "insee-emploi-2021",
        "Recensement 2021 : emploi et population active, base communale",
        "https://www.insee.fr/fr/recherche?q=base-cc-emploi-pop-active-2021",
        "base-cc-emploi-pop-active-2021.CSV",
        ("CODGEO", "P21_ACT1564", "P21_CHOM1564"),
        "emploi",
    ),
):
    register(
        Source(
            name=_name,
            title=_title,
            publisher=INSEE,
            licence=LICENCE_OUVERTE,
            vintage="2021 (géographie au 1er janvier 2024)",
            page=_page,
            url=None,
            filename=_member,
            layout=Layout(
                format="zip (csv)",
                separator=";",
                encoding="UTF-8",
                columns=_columns,
                member=_member,
            ),
            import_command=f"pvd indicators import {_kind} {{path}}",
            notes=_RP2021 + " La page officielle n'a pas été vérifiée : l'adresse indiquée est une "
            "recherche sur insee.fr.",
            tags=("indicateurs",),
        )
    )

# --- Cerema, consommation d'espaces naturels, agricoles et forestiers ---------------------
register(
    Source(
        name="cerema-conso-naf-2009-2023",
        title="Consommation d'espaces naturels, agricoles et forestiers du 1er janvier 2009 au "
        "1er janvier 2023, par commune (fichiers fonciers, Portail de l'artificialisation)",
        publisher="Centre d'études et d'expertise sur les risques, l'environnement, la mobilité "
        "et l'aménagement (Cerema)",
        licence=LICENCE_OUVERTE,
        vintage="2009-2023 (flux annuels au 1er janvier)",
        page="https://www.data.gouv.fr/fr/datasets/consommation-despaces-naturels-agricoles-et-"
        "forestiers-du-1er-janvier-2009-au-1er-janvier-2023/",
        url=None,
        filename="obs-artif-conso-com-2009-2023.zip",
        layout=Layout(
            format="zip (csv)",
            separator=None,
            encoding="UTF-8",
            columns=(
                "idcom",
                "naf09art10",
                "art09hab10",
                "naf22art23",
                "naf09art23",
                "surfcom2023",
            ),
        ),
        import_command="pvd indicators import naf {path}",
        notes="Adresse directe du fichier non confirmée : le télécharger depuis la page (archive "
        "obs-artif-conso-com-2009-2023.zip). En-tête en minuscules relevé dans des réutilisations "
        "publiques (idcom, flux annuels nafNNartMM et destinations artNNhabMM… en m², total "
        "naf09art23, surface communale surfcom2023 en m²) ; séparateur virgule ou point-virgule "
        "selon les copies (détecté). Les millésimes suivants décalent la fenêtre (2011-2025 : "
        "naf11art12… naf24art25, surfcom2025) : l'import les comprend. La dernière année est "
        "provisoire (sous-estimée, révisée au millésime suivant).",
        tags=("indicateurs", "environnement", "artificialisation"),
    )
)

# --- DGFiP, comptes individuels des communes ------------------------------------------------
register(
    Source(
        name="dgfip-comptes-communes",
        title="Comptes individuels des communes (fichier global, à compter de 2000)",
        publisher="Direction générale des finances publiques (DGFiP), ministères économiques et "
        "financiers",
        licence=LICENCE_OUVERTE,
        vintage="exercices 2000 à 2024 (un exercice par ligne)",
        page="https://data.economie.gouv.fr/explore/dataset/comptes-individuels-des-communes-"
        "fichier-global-a-compter-de-2000/",
        url=None,
        filename="comptes-individuels-des-communes.csv",
        layout=Layout(
            format="csv",
            separator=";",
            encoding="UTF-8 (avec BOM)",
            columns=(
                "an",
                "dep",
                "icom",
                "inom",
                "pop1",
                "equip",
                "fequip",
                "caf",
                "fcaf",
                "dette",
                "fdette",
            ),
        ),
        import_command="pvd indicators import finances {path}",
        notes="Adresse directe du fichier non confirmée : exporter le jeu en CSV (séparateur "
        "point-virgule) depuis la page, de préférence restreint aux champs lus (par exemple "
        "…/api/explore/v2.1/catalog/datasets/comptes-individuels-des-communes-fichier-global-a-"
        "compter-de-2000/exports/csv?select=an,dep,icom,inom,pop1,equip,fequip,caf,fcaf,dette,"
        "fdette&delimiter=%3B, forme d'export Opendatasoft utilisée par des réutilisations, non "
        "vérifiée sur ce jeu). Montants en milliers d'euros (f… = euros par habitant, m… = "
        "moyenne de la strate), vérifiés à l'import. Code commune = dep (3 caractères) + icom "
        "(3 chiffres) ; l'écriture des communes d'outre-mer n'a pas pu être confirmée (l'import "
        "refuse ce qu'il ne reconnaît pas). Des jeux par millésime existent aussi "
        "(…-fichier-global-2023-2024). Alternative non intégrée : le fichier communes de l'OFGL.",
        tags=("indicateurs", "finances"),
    )
)

# --- ANCT, programme Petites villes de demain -----------------------------------------------
register(
    Source(
        name="anct-pvd-communes",
        title="Programme Petites villes de demain : liste des communes bénéficiaires",
        publisher="Agence nationale de la cohésion des territoires (ANCT)",
        licence=LICENCE_OUVERTE,
        vintage="mise à jour continue (fichier de 2026 en COG 2025)",
        page="https://www.data.gouv.fr/fr/datasets/programme-petites-villes-de-demain/",
        url="https://www.data.gouv.fr/fr/datasets/r/1fa831ec-d912-4277-8b95-a8b998bf951e",
        filename="liste-pvd.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=("insee_com", "lib_com", "id_pvd", "date_signature"),
        ),
        import_command=None,
        notes="Adresse stable de la ressource data.gouv.fr (redirige vers le dernier fichier "
        "daté), relevée dans une réutilisation publique ; à confirmer sur la page. Les dates "
        "de signature sont au format AAAA-MM-JJ puis JJ/MM/AAAA selon les versions.",
        tags=("programme",),
    )
)

# --- Geometries for the location maps -------------------------------------------------------
register(
    Source(
        name="geo-api-communes-centres",
        title="Centres des communes (API Découpage administratif, geo.api.gouv.fr)",
        publisher="Etalab (DINUM), d'après l'IGN et l'INSEE",
        licence=LICENCE_OUVERTE,
        vintage="géographie de l'export (2025)",
        page="https://geo.api.gouv.fr/decoupage-administratif/communes",
        url=None,
        filename="communes-centroides.csv",
        layout=Layout(
            format="csv",
            separator=",",
            encoding="UTF-8",
            columns=("insee", "dept", "lon", "lat", "name"),
        ),
        import_command="pvd data import-geo {path}",
        notes="Export CSV du champ « centre » de l'API (longitude, latitude WGS84) ; l'API répond "
        "en JSON, l'export CSV n'a pas d'adresse stable : à produire ou télécharger à la main.",
        tags=("cartes",),
    )
)
register(
    Source(
        name="anct-contours-departements",
        title="Contours géographiques des départements (ANCT, d'après IGN Admin Express)",
        publisher="Agence nationale de la cohésion des territoires (ANCT), d'après l'IGN",
        licence=LICENCE_OUVERTE,
        vintage="Admin Express (version de l'export)",
        page="https://www.observatoire-des-territoires.gouv.fr/outils/cartographie-interactive/",
        url=None,
        filename="polygone-4326_dep.geojson",
        layout=Layout(format="geojson", encoding="UTF-8", columns=("insee_dep", "lib_dep")),
        import_command="pvd data import-geo {path}",
        notes="Contours en WGS84 (EPSG:4326), outre-mer à sa place (pas la version « style1 » "
        "des cartes thématiques). Adresse du fichier non confirmée hors ligne.",
        tags=("cartes",),
    )
)
register(
    Source(
        name="npm-leaflet",
        title="Leaflet, bibliothèque JavaScript de cartes interactives",
        publisher="Volodymyr Agafonkin et contributeurs",
        licence="BSD-2-Clause",
        vintage="1.9.4",
        page="https://leafletjs.com/",
        url="https://registry.npmjs.org/leaflet/-/leaflet-1.9.4.tgz",
        filename="leaflet-1.9.4.tgz",
        layout=Layout(format="tgz (npm, JS + CSS)", member="package/dist/leaflet.js"),
        import_command=None,
        sha256="84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77",
        notes="Servie depuis les fichiers statiques (scripts/build_maps.py), sans CDN.",
        tags=("cartes", "npm"),
    )
)

# --- npm packages (offline, installable from the registry) ---------------------------------
# The embedded snapshot (pvd/data/snapshot) is built from these six versions by
# scripts/build_snapshot.py; the digests are the tarballs' SHA-256, as in its manifest.
_DECOUPAGE = (
    ("1.1.1", 2021, 2019, "db6e7c433ee675de314aa19bfc4faf796451342960ed2c1b42fda0f458a97e23"),
    ("2.3.1", 2022, 2020, "d7f2a6915af27a719eeb6eb6581d9a645849b5b23e5c97fa5aa2931eb3552d1f"),
    ("3.1.1", 2023, 2020, "225079c8cd185379fd494993e99fe712523e2f16e4a1170d8391a76a304e7073"),
    ("4.1.0", 2024, 2022, "318f0cfc0c1f9d8113b272bf3cefb8f207f23f73026ee5932215f5d80d7a0f2a"),
    ("5.3.0", 2025, 2023, "149cd9096f70915c02e5d39ef6045f0900d94c782ee9f1c1941703092fe72636"),
    ("6.0.0", 2026, 2023, "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"),
)
for _version, _cog, _pop, _sha in _DECOUPAGE:
    register(
        Source(
            name=f"npm-decoupage-administratif-{_version}",
            title=f"Découpage administratif (COG {_cog}, populations légales {_pop}), "
            "paquet npm @etalab/decoupage-administratif",
            publisher="Etalab / data.gouv.fr, d'après INSEE (COG, populations), DGCL (EPCI), "
            "La Poste (codes postaux)",
            licence="Licence Ouverte 2.0 (données), MIT (code du paquet)",
            vintage=f"COG {_cog}",
            page="https://www.npmjs.com/package/@etalab/decoupage-administratif",
            url="https://registry.npmjs.org/@etalab/decoupage-administratif/-/"
            f"decoupage-administratif-{_version}.tgz",
            filename=f"etalab-decoupage-administratif-{_version}.tgz",
            layout=Layout(format="tgz (npm, JSON)", encoding="UTF-8", member="package/data/"),
            import_command="python scripts/build_snapshot.py --tarballs <dossier contenant {path}>"
            " puis pvd data load",
            sha256=_sha,
            notes="Source du référentiel embarqué (pvd data load le charge sans réseau).",
            tags=("référentiel", "npm"),
        )
    )
