"""The raw material of the seed: fictional, plausible Benelux and neighbouring businesses."""

from __future__ import annotations

__all__ = [
    "ACCOUNT",
    "COMPANIES",
    "DEAL_TITLES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "LOST_REASONS",
    "MOBILE_PREFIXES",
    "PIPELINES",
    "POSITIONS",
    "TAGS",
    "USERS",
]

#: The emulated Teamleader account: a small Ghent web agency.
ACCOUNT = {"name": "Zonnebloem Digital BV", "domain": "zonnebloem.be"}

#: (first name, last name, function, language, status); the first user owns the account.
USERS = (
    ("Sofie", "Peeters", "Managing Director", "nl-BE", "active"),
    ("Thomas", "Vermeulen", "Sales", "nl-BE", "active"),
    ("Camille", "Dubois", "Account Manager", "fr", "active"),
    ("Lars", "Janssens", "Sales Engineer", "en", "active"),
    ("Eline", "Maes", "Office Manager", "nl-BE", "deactivated"),
)

#: (name, domain, street, postal code, city, country, language, phone prefix, phone digits)
COMPANIES = (
    ("Brouwerij Den Hoorn NV", "denhoorn.be", "Vaartkom 12", "3000",
     "Leuven", "BE", "nl", "+32 16", "## ## ##"),
    ("Vandaele Logistics BV", "vandaele-logistics.be", "Kapelstraat 88", "8500",
     "Kortrijk", "BE", "nl", "+32 56", "## ## ##"),
    ("Atelier Lumière SRL", "atelierlumiere.be", "Rue Féronstrée 45", "4000",
     "Liège", "BE", "fr", "+32 4", "### ## ##"),
    ("Noordzee Visgroothandel NV", "noordzeevis.be", "Vindictivelaan 21", "8400",
     "Oostende", "BE", "nl", "+32 59", "## ## ##"),
    ("Pixelwerf BV", "pixelwerf.be", "Dok Noord 7", "9000",
     "Gent", "BE", "nl", "+32 9", "### ## ##"),
    ("Boulangerie Dumont SRL", "boulangerie-dumont.be", "Rue de Fer 19", "5000",
     "Namur", "BE", "fr", "+32 81", "## ## ##"),
    ("Kempische Bouwgroep NV", "kempischebouwgroep.be", "Antwerpseweg 150", "2440",
     "Geel", "BE", "nl", "+32 14", "## ## ##"),
    ("Antwerp Diamond Services BV", "ads-diamonds.be", "Hoveniersstraat 30", "2018",
     "Antwerpen", "BE", "en", "+32 3", "### ## ##"),
    ("Mechelse Meubelmakerij BV", "meubelmakerij-mechelen.be", "Bruul 52", "2800",
     "Mechelen", "BE", "nl", "+32 15", "## ## ##"),
    ("Ardennes Outdoor SRL", "ardennes-outdoor.be", "Rue Comte d'Ursel 14", "6940",
     "Durbuy", "BE", "fr", "+32 86", "## ## ##"),
    ("Limburgse Zorggroep VZW", "limburgsezorggroep.be", "Kunstlaan 6", "3500",
     "Hasselt", "BE", "nl", "+32 11", "## ## ##"),
    ("Brussels Legal Partners SRL", "blp-law.be", "Avenue Louise 240", "1050",
     "Bruxelles", "BE", "fr", "+32 2", "### ## ##"),
    ("Groen & Co Tuinarchitectuur BV", "groenenco.be", "Langestraat 101", "8000",
     "Brugge", "BE", "nl", "+32 50", "## ## ##"),
    ("Datanaut NV", "datanaut.be", "Kapeldreef 60", "3001",
     "Leuven", "BE", "en", "+32 16", "## ## ##"),
    ("Café De Zwaan BV", "cafedezwaan.be", "Grote Markt 3", "9300",
     "Aalst", "BE", "nl", "+32 53", "## ## ##"),
    ("Transports Lambert SA", "transports-lambert.be", "Boulevard Tirou 77", "6000",
     "Charleroi", "BE", "fr", "+32 71", "## ## ##"),
    ("Van Rijn Installatietechniek BV", "vanrijn-installatie.nl", "Coolsingel 40", "3011 AD",
     "Rotterdam", "NL", "nl", "+31 10", "### ## ##"),
    ("Drukkerij Molenaar BV", "drukkerijmolenaar.nl", "Oudegracht 210", "3511 NS",
     "Utrecht", "NL", "nl", "+31 30", "### ## ##"),
    ("Maison Vercruysse SAS", "maison-vercruysse.fr", "Rue Nationale 58", "59000",
     "Lille", "FR", "fr", "+33 3 20", "## ## ##"),
    ("Müller Maschinenbau GmbH", "mueller-maschinenbau.de", "Theaterstraße 15", "52062",
     "Aachen", "DE", "de", "+49 241", "### ####"),
    ("Luxfin Advisory S.à r.l.", "luxfin.lu", "Avenue de la Liberté 12", "1930",
     "Luxembourg", "LU", "fr", "+352", "## ## ##"),
    ("Schelde Yachting NV", "scheldeyachting.be", "Londenstraat 2", "2000",
     "Antwerpen", "BE", "nl", "+32 3", "### ## ##"),
    ("Imprimerie Delvaux SRL", "imprimerie-delvaux.be", "Rue de la Chaussée 33", "7000",
     "Mons", "BE", "fr", "+32 65", "## ## ##"),
    ("Bakkerij Claes BV", "bakkerijclaes.be", "Stalenstraat 9", "3600",
     "Genk", "BE", "nl", "+32 89", "## ## ##"),
    ("Veldhoven Agro NV", "veldhovenagro.be", "Brugsesteenweg 255", "8800",
     "Roeselare", "BE", "nl", "+32 51", "## ## ##"),
    ("Studio Blauw BV", "studioblauw.be", "Kattendijkdok-Westkaai 40", "2000",
     "Antwerpen", "BE", "nl", "+32 3", "### ## ##"),
)

#: First names per language, each with a gender (Teamleader's ``gender`` enum).
FIRST_NAMES = {
    "nl": (("Jan", "male"), ("Pieter", "male"), ("Sofie", "female"), ("Lotte", "female"), ("Wouter", "male"),
           ("Els", "female"), ("Bart", "male"), ("Lien", "female"), ("Koen", "male"), ("Annelies", "female"),
           ("Tom", "male"), ("Griet", "female"), ("Jens", "male"), ("Nele", "female"), ("Dries", "male"),
           ("Hanne", "female"), ("Stijn", "male"), ("Ine", "female"), ("Daan", "male"), ("Sanne", "female")),
    "fr": (("Julien", "male"), ("Camille", "female"), ("Nicolas", "male"), ("Élodie", "female"),
           ("Maxime", "male"), ("Aurélie", "female"), ("Olivier", "male"), ("Manon", "female"),
           ("Sébastien", "male"), ("Pauline", "female"), ("François", "male"), ("Chloé", "female")),
    "de": (("Lukas", "male"), ("Anna", "female"), ("Jonas", "male"), ("Lena", "female"), ("Felix", "male")),
    "en": (("Emma", "female"), ("Noah", "male"), ("Olivia", "female"), ("Liam", "male"), ("Mila", "female")),
}

LAST_NAMES = {
    "nl": ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
           "De Smet", "Van den Broeck", "De Clercq", "Pauwels", "Hermans", "Verstraete", "Vandenberghe",
           "De Vries", "Bakker", "Visser", "Smit"),
    "fr": ("Dubois", "Lambert", "Dupont", "Martin", "Simon", "Leclercq", "Lejeune", "Renard", "Laurent",
           "Dumont", "Lemaire", "Fontaine"),
    "de": ("Müller", "Schmidt", "Becker", "Wagner", "Hoffmann"),
    "en": ("Claes", "Nguyen", "Smith", "Cohen", "Peeters"),
}

POSITIONS = {
    "nl": ("Zaakvoerder", "Aankoper", "Office Manager", "Marketing Manager", "CFO", "IT-verantwoordelijke"),
    "fr": ("Gérant", "Directeur commercial", "Responsable achats", "Office Manager", "Directrice financière"),
    "de": ("Geschäftsführer", "Einkaufsleiter", "Marketingleiterin"),
    "en": ("CEO", "Head of Operations", "Procurement Lead", "CTO"),
}

#: Mobile number prefixes per country, followed by ``## ## ##``.
MOBILE_PREFIXES = {
    "BE": ("+32 470", "+32 475", "+32 477", "+32 486", "+32 494", "+32 499"),
    "NL": ("+31 6 12", "+31 6 41", "+31 6 53"),
    "FR": ("+33 6 12", "+33 6 78"),
    "DE": ("+49 151 23", "+49 171 45"),
    "LU": ("+352 621", "+352 691"),
}

TAGS = ("prospect", "customer", "expo", "newsletter", "partner", "vip")

#: (name, is default, ((phase name, probability, attention days), ...))
PIPELINES = (
    ("Sales", True, (("New", 0.1, 3), ("Contacted", 0.2, 7), ("Meeting planned", 0.4, 7),
                     ("Quotation sent", 0.6, 14), ("Negotiation", 0.8, 14))),
    ("Partnerships", False, (("Introduction", 0.2, 14), ("Pilot", 0.5, 30), ("Contract", 0.9, 14))),
)

LOST_REASONS = ("Too expensive", "Chose a competitor", "No budget", "Project postponed",
                "No response from customer", "Deal declined")

#: (title, low, high) estimated value range in EUR.
DEAL_TITLES = (
    ("Website redesign", 6_000, 24_000),
    ("Webshop on Shopify", 8_000, 35_000),
    ("Maintenance contract", 1_500, 9_000),
    ("CRM implementation", 12_000, 60_000),
    ("Brand identity refresh", 4_000, 18_000),
    ("Mobile app (iOS and Android)", 25_000, 85_000),
    ("SEO and SEA campaign", 2_500, 12_000),
    ("Data migration to the cloud", 9_000, 40_000),
    ("Intranet portal", 15_000, 45_000),
    ("Staff training programme", 2_000, 8_000),
    ("Hosting and monitoring", 1_800, 7_200),
    ("Product photography", 1_500, 6_500),
    ("Trade fair stand design", 3_500, 16_000),
    ("Customer portal integration", 10_000, 38_000),
)
