"""Names of countries, their capitals and a few much-reported territories, with the spellings
news uses (Kyiv and Kiev). Written for crosswire from general knowledge; used only to correct
the type of a name the tagger already found ("Kyiv" tagged PERSON), never to find new names.

Names that are also common given names or surnames in news (Chad, Georgia, Jordan,
Victoria, Sofia, Wellington, Santiago, Kingston, Stanley) are left out: for those the story's
own evidence has to decide.
"""

from __future__ import annotations

COUNTRIES = frozenset(
    """
Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|
Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|
Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cabo Verde|Cape Verde|
Cambodia|Cameroon|Canada|Central African Republic|Chile|China|Colombia|Comoros|Congo|
Democratic Republic of Congo|Democratic Republic of the Congo|Costa Rica|Ivory Coast|Côte d'Ivoire|Croatia|
Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|East Timor|Timor-Leste|
Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Swaziland|Ethiopia|Fiji|Finland|
France|Gabon|Gambia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|
Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Kazakhstan|Kenya|Kiribati|
Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|
Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|
Holland|New Zealand|Nicaragua|Niger|Nigeria|North Korea|South Korea|Korea|North Macedonia|Macedonia|Norway|
Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
Romania|Russia|Russian Federation|Rwanda|Saint Kitts and Nevis|Saint Lucia|Saint Vincent and the Grenadines|
Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|
Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|
Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|
Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|Britain|
Great Britain|England|Scotland|Wales|Northern Ireland|United States|USA|Uruguay|Uzbekistan|Vanuatu|
Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe
""".replace("\n", "").split("|")
)

CAPITALS = frozenset(
    """
Kabul|Tirana|Algiers|Luanda|Buenos Aires|Yerevan|Canberra|Vienna|Baku|Nassau|Manama|Dhaka|Bridgetown|
Minsk|Brussels|Belmopan|Porto-Novo|Thimphu|Sucre|La Paz|Sarajevo|Gaborone|Brasilia|Brasília|
Bandar Seri Begawan|Ouagadougou|Gitega|Bujumbura|Praia|Phnom Penh|Yaounde|Yaoundé|Ottawa|Bangui|
N'Djamena|Beijing|Peking|Bogota|Bogotá|Brazzaville|Kinshasa|San Jose|San José|Yamoussoukro|Abidjan|
Zagreb|Havana|Nicosia|Prague|Copenhagen|Roseau|Santo Domingo|Dili|Quito|Cairo|San Salvador|Malabo|
Asmara|Tallinn|Mbabane|Addis Ababa|Suva|Helsinki|Paris|Libreville|Banjul|Tbilisi|Berlin|Accra|Athens|
Guatemala City|Conakry|Bissau|Georgetown|Port-au-Prince|Tegucigalpa|Budapest|Reykjavik|New Delhi|Delhi|
Jakarta|Tehran|Baghdad|Dublin|Jerusalem|Tel Aviv|Rome|Tokyo|Astana|Nur-Sultan|Almaty|Nairobi|Tarawa|
Pristina|Kuwait City|Bishkek|Vientiane|Riga|Beirut|Maseru|Monrovia|Tripoli|Vaduz|Vilnius|Antananarivo|
Lilongwe|Kuala Lumpur|Bamako|Valletta|Majuro|Nouakchott|Port Louis|Mexico City|Palikir|Chisinau|
Chişinău|Ulaanbaatar|Ulan Bator|Podgorica|Rabat|Maputo|Naypyidaw|Nay Pyi Taw|Yangon|Rangoon|Windhoek|
Kathmandu|Amsterdam|The Hague|Managua|Niamey|Abuja|Pyongyang|Seoul|Skopje|Oslo|Muscat|
Islamabad|Ngerulmud|Ramallah|Panama City|Port Moresby|Asuncion|Asunción|Lima|Manila|Warsaw|Lisbon|Doha|
Bucharest|Moscow|Kigali|Basseterre|Castries|Kingstown|Apia|Riyadh|Dakar|Belgrade|Freetown|Bratislava|
Ljubljana|Honiara|Mogadishu|Pretoria|Cape Town|Juba|Madrid|Colombo|Khartoum|Paramaribo|Stockholm|Bern|
Damascus|Taipei|Dushanbe|Dodoma|Dar es Salaam|Bangkok|Lome|Lomé|Nuku'alofa|Port of Spain|Tunis|Ankara|
Ashgabat|Funafuti|Kampala|Kyiv|Kiev|Abu Dhabi|London|Montevideo|Tashkent|Port Vila|Caracas|Hanoi|Sanaa|
Sana'a|Lusaka|Harare
""".replace("\n", "").split("|")
)

# Much-reported places that are not (or not only) sovereign states.
TERRITORIES = frozenset(
    "Gaza|Gaza Strip|West Bank|Crimea|Donbas|Donbass|Kashmir|Tibet|Greenland|Puerto Rico|Hong Kong|Macau|"
    "Kurdistan|Transnistria|Abkhazia|South Ossetia|Nagorno-Karabakh|Western Sahara|Northern Cyprus".split("|")
)

PLACES = COUNTRIES | CAPITALS | TERRITORIES

# Other spellings of one place -> the spelling used as the key ("Kiev" and "Kyiv" are one entity)
SPELLINGS = {
    "Kiev": "Kyiv",
    "Peking": "Beijing",
    "Rangoon": "Yangon",
    "Burma": "Myanmar",
    "Ulan Bator": "Ulaanbaatar",
    "Nay Pyi Taw": "Naypyidaw",
    "Swaziland": "Eswatini",
    "Türkiye": "Turkey",
    "Czechia": "Czech Republic",
    "Côte d'Ivoire": "Ivory Coast",
    "Timor-Leste": "East Timor",
    "Cabo Verde": "Cape Verde",
    "Donbass": "Donbas",
    "Bogotá": "Bogota",
    "Brasília": "Brasilia",
    "Yaoundé": "Yaounde",
    "Lomé": "Lome",
    "Asunción": "Asuncion",
    "San José": "San Jose",
    "Chişinău": "Chisinau",
    "Sana'a": "Sanaa",
}
