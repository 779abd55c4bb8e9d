package demo

// Names of the people accompanied, grouped by origin so that first and
// last names go together believably. The combinations are drawn at
// random: the lists leave out the surnames that would form the name of a
// well-known person with one of the first names of their group. Names are
// written as a French civil-status record or a mediator's keyboard would
// write them (French diacritics only).

type origin struct {
	key       string
	women     []string
	men       []string
	surnames  []string
	languages []string // languages spoken besides French, as a mediator writes them
	// interpreter is the share (in %) of people of this group met
	// without a common language.
	interpreter int
	// nationality weights: française, UE, hors UE (in %); the rest is not
	// recorded.
	fr, ue, horsUE int
	weight         int
}

var origins = []*origin{
	{key: "france", weight: 24, fr: 80,
		women:    []string{"Sylvie", "Nathalie", "Monique", "Chantal", "Julie", "Manon", "Audrey", "Christine", "Josiane", "Céline", "Sandrine", "Laetitia", "Jessica", "Odile", "Brigitte"},
		men:      []string{"Jean-Pierre", "Gérard", "Thierry", "Kevin", "Dylan", "Patrick", "Michel", "Christophe", "Bernard", "Alain", "Frédéric", "Loïc", "Maxime", "Régis"},
		surnames: []string{"Dubois", "Moreau", "Laurent", "Lefèvre", "Mercier", "Faure", "Chevalier", "Blanchard", "Roussel", "Gauthier", "Perrot", "Brunet", "Masson", "Bonnet", "Chauvin", "Fabre", "Rey", "Vidal", "Colin", "Marchand"}},
	{key: "maghreb", weight: 22, fr: 50, horsUE: 25,
		women:       []string{"Fatima", "Khadija", "Malika", "Samira", "Houria", "Leïla", "Zohra", "Yamina", "Sabrina", "Nour", "Imane", "Salima", "Naïma", "Hayat", "Soraya"},
		men:         []string{"Mohamed", "Ahmed", "Rachid", "Mourad", "Abdelkader", "Saïd", "Mehdi", "Bilal", "Sofiane", "Youssef", "Hakim", "Nabil", "Kamel", "Lyes"},
		surnames:    []string{"Boudjemaa", "Cherifi", "Meziane", "Amrani", "Bouzid", "Aït Ali", "Benmoussa", "Zerrouki", "Hamdi", "Belkacem", "El Idrissi", "Khelifi", "Mokrani", "Saadi", "Larbi", "Tahri", "Boukhalfa"},
		languages:   []string{"Arabe", "Arabe, tamazight", "Tamazight (kabyle)", "Arabe (darija)"},
		interpreter: 6},
	{key: "afrique-ouest", weight: 10, fr: 45, horsUE: 35,
		women:       []string{"Aminata", "Fatoumata", "Mariam", "Awa", "Kadiatou", "Oumou", "Ramatoulaye", "Bintou", "Adama", "Hawa"},
		men:         []string{"Mamadou", "Ibrahima", "Boubacar", "Abdoulaye", "Lamine", "Bakary", "Souleymane", "Issa", "Modou"},
		surnames:    []string{"Koné", "Ndiaye", "Cissé", "Sylla", "Coulibaly", "Diarra", "Bâ", "Kanté", "Dembélé", "Sissoko", "Fall"},
		languages:   []string{"Bambara", "Wolof", "Soninké", "Peul", "Malinké, bambara"},
		interpreter: 8},
	{key: "afrique-centrale", weight: 5, fr: 40, horsUE: 45,
		women:       []string{"Grâce", "Merveille", "Prisca", "Nadège", "Esther"},
		men:         []string{"Christian", "Jean-Claude", "Patrick", "Blaise", "Serge"},
		surnames:    []string{"Mbala", "Tshibanda", "Kabongo", "Mavoungou", "Ilunga", "Makosso", "Ngoma"},
		languages:   []string{"Lingala", "Lingala, kikongo"},
		interpreter: 0},
	{key: "turquie", weight: 5, fr: 45, horsUE: 40,
		women:       []string{"Elif", "Ayse", "Zeynep", "Emine", "Hatice", "Fadime"},
		men:         []string{"Mehmet", "Mustafa", "Hüseyin", "Emre", "Ismail", "Osman"},
		surnames:    []string{"Yilmaz", "Demir", "Kaya", "Celik", "Aydin", "Öztürk", "Arslan", "Dogan"},
		languages:   []string{"Turc", "Turc, kurde"},
		interpreter: 20},
	{key: "portugal", weight: 6, fr: 50, ue: 45,
		women:     []string{"Maria", "Ana", "Sónia", "Fernanda", "Isabel", "Rosa"},
		men:       []string{"João", "António", "Manuel", "José", "Carlos", "Paulo"},
		surnames:  []string{"Pereira", "Da Costa", "Rodrigues", "Teixeira", "Gonçalves", "Carvalho", "Sousa", "Moreira"},
		languages: []string{"Portugais"}},
	{key: "espagne", weight: 2, fr: 70, ue: 25,
		women:     []string{"Carmen", "Pilar", "Dolores", "Encarnación"},
		men:       []string{"Francisco", "Ángel", "Miguel", "Jesús"},
		surnames:  []string{"Garcia", "Martinez", "Navarro", "Ruiz", "Jimenez", "Morales"},
		languages: []string{"Espagnol"}},
	{key: "italie", weight: 2, fr: 75, ue: 25,
		women:     []string{"Giulia", "Rosaria", "Antonella", "Carla"},
		men:       []string{"Giuseppe", "Vincenzo", "Angelo", "Franco"},
		surnames:  []string{"Russo", "Romano", "Greco", "Ferraro", "Colombo", "Marino"},
		languages: []string{"Italien"}},
	{key: "roumanie", weight: 4, ue: 85,
		women:       []string{"Ioana", "Elena", "Mihaela", "Florina", "Daniela"},
		men:         []string{"Ion", "Vasile", "Marius", "Florin", "Adrian"},
		surnames:    []string{"Popescu", "Stan", "Dumitru", "Lungu", "Moldovan", "Ciobanu"},
		languages:   []string{"Roumain", "Roumain, romani"},
		interpreter: 35},
	{key: "ukraine", weight: 3, horsUE: 95,
		women:       []string{"Olena", "Iryna", "Oksana", "Natalia", "Tetiana"},
		men:         []string{"Oleksandr", "Dmytro", "Serhiy", "Mykola", "Andriy"},
		surnames:    []string{"Kovalenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravets", "Savchuk"},
		languages:   []string{"Ukrainien, russe", "Ukrainien"},
		interpreter: 60},
	{key: "caucase", weight: 3, horsUE: 70, fr: 20,
		women:       []string{"Anahit", "Lusine", "Gayane", "Milana"},
		men:         []string{"Aram", "Artur", "Vardan", "Karen"},
		surnames:    []string{"Hakobyan", "Petrosyan", "Grigoryan", "Sargsyan", "Avetisyan"},
		languages:   []string{"Arménien, russe", "Arménien"},
		interpreter: 30},
	{key: "afghanistan", weight: 3, horsUE: 95,
		women:       []string{"Zahra", "Maryam", "Nazanin", "Fariba"},
		men:         []string{"Ahmad", "Hamid", "Jawad", "Farhad", "Mahdi"},
		surnames:    []string{"Ahmadi", "Rahimi", "Karimi", "Hosseini", "Sultani", "Noori"},
		languages:   []string{"Dari", "Dari, pachto"},
		interpreter: 70},
	{key: "corne", weight: 2, horsUE: 95,
		women:       []string{"Selam", "Mebrat", "Senait", "Hiwet"},
		men:         []string{"Yonas", "Dawit", "Tesfay", "Filmon"},
		surnames:    []string{"Tesfamariam", "Gebremedhin", "Tekle", "Berhane", "Kidane"},
		languages:   []string{"Tigrigna", "Tigrigna, arabe"},
		interpreter: 80},
	{key: "comores", weight: 3, fr: 70, horsUE: 20,
		women:     []string{"Zaïnaba", "Faouzia", "Anfiat", "Mariama"},
		men:       []string{"Ahamada", "Soilihi", "Ibrahim", "Nassur"},
		surnames:  []string{"Mzé", "Abdallah", "Soilihi", "Madi", "Youssouf"},
		languages: []string{"Comorien (shikomori)"}},
	{key: "vietnam", weight: 2, fr: 70,
		women:     []string{"Thi Lan", "Mai", "Huong", "Thu"},
		men:       []string{"Van Minh", "Duc", "Quang", "Hoang"},
		surnames:  []string{"Tran", "Pham", "Le", "Vu", "Dang"},
		languages: []string{"Vietnamien"}},
	{key: "antilles", weight: 3, fr: 100,
		women:    []string{"Marie-Line", "Josette", "Murielle", "Ghislaine"},
		men:      []string{"Jean-Marc", "Ludovic", "Fabrice", "Rudy"},
		surnames: []string{"Jean-Baptiste", "Saint-Cyr", "Marie-Sainte", "Calixte", "Romain", "Laborde"}},
}

// pseudonyms are chosen by people who do not want to be named.
var pseudonyms = []string{"M. K.", "Mme B.", "S. T.", "Rayan B.", "Nina", "A. D.", "Tonton Sam"}

// emailDomains are reserved for documentation (RFC 2606): no address of
// the demo can reach anyone.
var emailDomains = []string{"example.org", "example.net", "example.com"}
