"""Strings of the page's workshop part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
    # joining
    "workshop_code": ("Code de l'atelier", "Workshop code"),
    "workshop_code_placeholder": ("6 chiffres, donnés par l'animateur", "6 digits, given by the facilitator"),
    "workshop_name": ("Votre nom", "Your name"),
    "workshop_name_placeholder": ("Prénom Nom", "First name Last name"),
    "workshop_join": ("Rejoindre l'atelier", "Join the workshop"),
    "workshop_joined": ("Vous participez sous le nom « {name} ».", "You take part as “{name}”."),
    "workshop_facilitator": ("Vous animez l'atelier{name}.", "You facilitate the workshop{name}."),
    "workshop_join_first": ("Rejoignez d'abord l'atelier (onglet Atelier : code et nom) : chaque variante proposée "
                            "porte le nom de son auteur.",
                            "Join the workshop first (Workshop tab: code and name): each variant proposed carries "
                            "its author's name."),
    "workshop_bad_name": ("Nom refusé : il faut entre 1 et {max} caractères, sans caractère de contrôle.",
                          "Name refused: 1 to {max} characters are expected, no control character."),
    "workshop_bad_code": ("Code de l'atelier incorrect : saisissez les 6 chiffres affichés par l'animateur.",
                          "Wrong workshop code: type the 6 digits the facilitator shows."),
    "workshop_too_many_tries": ("Trop de codes incorrects : réessayez dans {seconds} s.",
                                "Too many wrong codes: try again in {seconds} s."),
    # cards
    "workshop_vote": ("Voter", "Vote"),
    "workshop_unvote": ("Retirer mon vote", "Take my vote back"),
    "workshop_votes": ("{n} vote(s)", "{n} vote(s)"),
    "workshop_by": ("proposée par {name}", "proposed by {name}"),
    "workshop_vote_needs_name": ("Pour voter, rejoignez l'atelier avec votre nom.",
                                 "To vote, join the workshop with your name."),
    "workshop_not_yours": ("Seul l'auteur de la variante ou l'animateur peut l'écarter.",
                           "Only the variant's author or the facilitator can discard it."),
    "workshop_facilitator_only": ("Réservé à l'animateur de l'atelier.", "For the workshop's facilitator only."),
    # facilitator
    "workshop_spread": ("Dispersion des propositions", "Spread of the proposals"),
    "workshop_spread_params": ("Paramètres proposés", "Parameters proposed"),
    "workshop_spread_kpis": ("Indicateurs : minimum, médiane, maximum des variantes",
                             "KPIs: minimum, median, maximum over the variants"),
    "workshop_spread_empty": ("Aucune variante à comparer.", "No variant to compare."),
    "workshop_freeze": ("Figer l'atelier", "Freeze the workshop"),
    "workshop_frozen": ("Atelier figé le {when} : {n} variante(s), {votes} vote(s). Le dossier de séance reprend cet "
                        "instantané.", "Workshop frozen on {when}: {n} variant(s), {votes} vote(s). The meeting pack "
                        "uses this snapshot."),
    "workshop_last_frozen": ("Dernier instantané : {when}.", "Last snapshot: {when}."),
    "workshop_pack": ("Télécharger le dossier de séance", "Download the meeting pack"),
    "workshop_pack_failed": ("Le dossier de séance n'a pas pu être produit : {why}",
                             "The meeting pack could not be made: {why}"),
    "workshop_participants": ("Participants ({n}) : {names}", "Participants ({n}): {names}"),
    # columns
    "workshop_col_variant": ("Variante", "Variant"),
    "workshop_col_author": ("Auteur", "Author"),
    "workshop_col_family": ("Famille", "Family"),
    "workshop_col_votes": ("Votes", "Votes"),
    "workshop_col_changes": ("Principaux écarts à la référence", "Main changes against the baseline"),
    "workshop_col_param": ("Paramètre", "Parameter"),
    "workshop_col_values": ("Valeurs proposées (nombre de variantes)", "Values proposed (number of variants)"),
    "workshop_col_kpi": ("Indicateur", "KPI"),
    "workshop_col_n": ("Variantes", "Variants"),
    "workshop_col_min": ("Min.", "Min"),
    "workshop_col_median": ("Médiane", "Median"),
    "workshop_col_max": ("Max.", "Max"),
    # the meeting pack
    "workshop_pack_title": ("Dossier de séance — atelier de {name}", "Meeting pack — {name} workshop"),
    "workshop_pack_annex_title": ("Annexes du dossier de séance — {name}", "Meeting pack annexes — {name}"),
    "workshop_pack_frozen": ("Instantané figé le {when}", "Snapshot frozen on {when}"),
    "workshop_pack_live": ("État de l'atelier au {when} (non figé)", "Workshop as of {when} (not frozen)"),
    "workshop_pack_participants": ("{n} participant(s)", "{n} participant(s)"),
    "workshop_pack_variants": ("Variantes proposées ({n}), par nombre de votes",
                               "Variants proposed ({n}), by number of votes"),
    "workshop_pack_more": ("… et {n} autre(s) variante(s) : voir les annexes.",
                           "… and {n} more variant(s): see the annexes."),
    "workshop_pack_contents": ("Contenu du dossier", "Contents of the pack"),
    "workshop_pack_no_change": ("aucun écart", "no change"),
    "workshop_pack_votes": ("{n} vote(s)", "{n} vote(s)"),
    "workshop_pack_no_outcome": ("Variante enregistrée sans ses couches (version antérieure) : ses indicateurs "
                                 "seuls figurent au dossier.",
                                 "Variant saved without its layers (older version): only its KPIs are in the pack."),
    "workshop_pack_layers": ("Couches (couches.gpkg) et listes d'alerte", "Layers (couches.gpkg) and alert lists"),
    "workshop_pack_rows": ("{n} ligne(s)", "{n} row(s)"),
    "workshop_pack_no_geometry": ("{n} sans géométrie (identifiant absent du territoire)",
                                  "{n} without geometry (id not in the territory)"),
    # the command line (twin app --workshop)
    "workshop_cli_participants": ("Atelier — participants : {url}  code de l'atelier : {code}",
                                  "Workshop — participants: {url}  workshop code: {code}"),
    "workshop_cli_facilitator": ("Atelier — animateur (lien à ne pas diffuser) : {url}",
                                 "Workshop — facilitator (keep this link private): {url}"),
    "workshop_cli_loopback": ("Attention : servi sur 127.0.0.1, l'atelier n'est joignable que depuis cette machine ; "
                              "pour les portables des participants : twin app --workshop --address 0.0.0.0 --port {port}",
                              "Note: served on 127.0.0.1, the workshop is reachable from this machine only; for the "
                              "participants' laptops: twin app --workshop --address 0.0.0.0 --port {port}"),
}
