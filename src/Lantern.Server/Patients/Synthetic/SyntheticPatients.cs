using System.Globalization;

namespace Lantern.Server.Patients.Synthetic;

/// <summary>
/// Invented patients for the demo and the benchmark, reproducible from a seed. Names follow the skew of
/// real English surnames (a few very common, a long tail); NHS numbers come only from the 999 test range,
/// with valid check digits, in order from <see cref="NhsNumbers"/>; phone numbers are Ofcom's drama
/// ranges; postcodes have real Yorkshire outward codes and a valid inward shape.
/// </summary>
public sealed class SyntheticPatients
{
    private static readonly string[] Surnames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
        "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel",
        "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
        "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young",
        "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
        "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster",
        "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer",
        "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray",
        "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart",
        "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson",
        "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant",
        "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory",
        "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins",
        "MacDonald", "McDonald", "Smyth", "Smythe", "Mackenzie", "McKenzie", "O'Connor", "O'Neill", "McCarthy", "Nguyen", "Kowalczyk",
        "Nowak", "Wiśniewski", "Chen", "Wong", "Okafor", "Adeyemi", "Mensah", "Hussein", "Rahman", "Iqbal", "Mahmood", "Sharma",
        "Kumar", "Das", "Fernandes", "da Silva", "Popescu", "Kaya", "Yilmaz", "Ivanova", "Müller", "García", "Rossi", "Jansen",
    ];

    private static readonly string[] Prefixes = ["Ash", "Black", "Brad", "Brook", "Cald", "Cart", "Craw", "Dal", "Earn", "Fair", "Gold",
        "Green", "Hal", "Hart", "Kings", "Lang", "Lock", "Mar", "Mid", "Mill", "New", "North", "Pen", "Ram", "Red", "Rush", "Shel",
        "South", "Stan", "Thorn", "Wal", "West", "Whit", "Win", "Ather", "Bram", "Cols", "Dun", "Hol", "Oak"];

    private static readonly string[] Suffixes = ["ley", "ton", "ford", "worth", "field", "wood", "by", "ham", "well", "more", "den",
        "combe", "stone", "bridge", "hurst", "land", "cliffe", "wick", "shaw", "thwaite"];

    private static readonly string[] MaleNames = ["Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Muhammad", "Oscar",
        "Charlie", "James", "William", "Thomas", "John", "David", "Michael", "Paul", "Mark", "Andrew", "Richard", "Peter", "Robert",
        "Stephen", "Christopher", "Daniel", "Matthew", "Anthony", "Ian", "Gary", "Alan", "Kevin", "Steven", "Philip", "Graham",
        "Kenneth", "Derek", "Brian", "Colin", "Keith", "Raymond", "Ravi", "Amir", "Kwame", "Tomasz", "Piotr", "Wei", "Liam", "Ethan",
        "Joshua", "Samuel", "Adam", "Ryan", "Ben", "Luke", "Callum", "Jon", "Jonathan", "Jim", "Stan", "Angus"];

    private static readonly string[] FemaleNames = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie",
        "Sophia", "Margaret", "Mary", "Susan", "Patricia", "Elizabeth", "Sarah", "Helen", "Karen", "Julie", "Joanne", "Claire",
        "Emma", "Rachel", "Nicola", "Lisa", "Jennifer", "Linda", "Barbara", "Christine", "Janet", "Joan", "Edith", "Dorothy", "Jean",
        "Pauline", "Sandra", "Gillian", "Angela", "Anne", "Catherine", "Fatima", "Aisha", "Priya", "Amara", "Agnieszka", "Anna",
        "Mei", "Grace", "Chloe", "Emily", "Jessica", "Hannah", "Lucy", "Ellie", "Sophie", "Charlotte", "Katie", "Megan", "Jo", "Jane"];

    private static readonly (string Outward, string Town)[] Districts = [.. Enumerable.Range(1, 29).Select(n => ($"LS{n}", "Leeds")),
        .. Enumerable.Range(1, 24).Select(n => ($"BD{n}", "Bradford")), .. Enumerable.Range(1, 17).Select(n => ($"WF{n}", "Wakefield")),
        .. Enumerable.Range(1, 7).Select(n => ($"HX{n}", "Halifax")), .. Enumerable.Range(1, 9).Select(n => ($"HD{n}", "Huddersfield")),
        .. Enumerable.Range(1, 8).Select(n => ($"HG{n}", "Harrogate")), .. Enumerable.Range(1, 32).Select(n => ($"YO{n}", "York"))];

    private static readonly string[] Streets = ["High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Main Street",
        "Mill Lane", "School Lane", "Green Lane", "Manor Road", "Queens Road", "Kings Road", "The Crescent", "Oak Drive", "Moor Lane",
        "Chapel Street", "Springfield Road", "Westfield Avenue", "Beech Grove", "Albert Terrace"];

    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ";
    private static readonly string[] Ethnicities = ["A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "B", "C", "C",
        "D", "F", "G", "H", "J", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"];

    private static readonly string[] Languages = ["Polish", "Urdu", "Punjabi", "Bengali", "Romanian", "Arabic", "Mandarin", "Portuguese"];

    private readonly Random random;
    private readonly double[] surnameWeights;
    private readonly double[] givenWeights;
    private readonly DateOnly today;

    public SyntheticPatients(int seed, DateOnly today)
    {
        random = new Random(seed);
        this.today = today;
        surnameWeights = Cumulative(Surnames.Length);
        givenWeights = Cumulative(MaleNames.Length);
    }

    /// <summary>Ranks weighted 1/√rank: the common names are common and the rest still appear.</summary>
    private static double[] Cumulative(int count)
    {
        var weights = new double[count];
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            weights[i] = total += 1 / Math.Sqrt(i + 1);
        }
        return [.. weights.Select(w => w / total)];
    }

    private string Pick(string[] names, double[] cumulative)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return names[Math.Min(index < 0 ? ~index : index, names.Length - 1)];
    }

    public Demographics Next(string? nhsNumber)
    {
        var gender = random.Next(100) < 51 ? Gender.Female : Gender.Male;
        var family = random.Next(100) < 75 ? Pick(Surnames, surnameWeights)
            : Prefixes[random.Next(Prefixes.Length)] + Suffixes[random.Next(Suffixes.Length)];
        var given = Pick(gender == Gender.Female ? FemaleNames : MaleNames, givenWeights);
        var born = today.AddDays(-random.Next(0, 365 * 98));
        var age = today.Year - born.Year;
        var (outward, town) = Districts[random.Next(Districts.Length)];
        var postcode = $"{outward} {random.Next(10)}{InwardLetters[random.Next(InwardLetters.Length)]}{InwardLetters[random.Next(InwardLetters.Length)]}";
        var interpreter = random.Next(100) < 3;
        var kin = age < 18 || random.Next(4) > 0;
        var previous = gender == Gender.Female && age > 25 && random.Next(10) < 3 ? Pick(Surnames, surnameWeights) : null;
        return new Demographics(family, given, born, gender)
        {
            Title = age < 16 ? null : gender == Gender.Female ? (random.Next(3) == 0 ? "Ms" : "Mrs") : "Mr",
            PreviousFamilyName = previous == family ? null : previous,
            OtherGivenNames = random.Next(3) == 0 ? Pick(gender == Gender.Female ? FemaleNames : MaleNames, givenWeights) : null,
            Sex = gender == Gender.Female ? Patients.Sex.Female : Patients.Sex.Male,
            NhsNumber = nhsNumber,
            NhsNumberStatus = nhsNumber is null ? NhsNumberStatus.TraceRequired : random.Next(20) == 0 ? NhsNumberStatus.NotTraced : NhsNumberStatus.Verified,
            AddressLine1 = $"{random.Next(1, 240)} {Streets[random.Next(Streets.Length)]}",
            Town = town,
            Postcode = Postcode.Normalise(postcode),
            Phone = random.Next(2) == 0 ? $"01632 960{random.Next(1000):000}" : $"07700 900{random.Next(1000):000}",
            GpPracticeCode = $"B86{random.Next(1, 120):000}",
            NextOfKinName = kin ? $"{Pick(FemaleNames, givenWeights)} {family}" : null,
            NextOfKinRelationship = !kin ? null : age < 18 ? "Mother" : "Spouse or partner",
            EthnicCategory = Ethnicities[random.Next(Ethnicities.Length)],
            InterpreterRequired = interpreter,
            PreferredLanguage = interpreter ? Languages[random.Next(Languages.Length)] : null,
        };
    }

    /// <summary>
    /// Valid 999-range NHS numbers in ascending order, starting after <paramref name="after"/> (ten digits), or
    /// from 999 010 000 x. The range holds about 900,000; when it runs out the sequence ends.
    /// </summary>
    public static IEnumerable<string> NhsNumbers(string? after)
    {
        var start = after is { Length: 10 } && after.StartsWith("999", StringComparison.Ordinal)
            ? int.Parse(after.AsSpan(0, 9), CultureInfo.InvariantCulture) + 1
            : 999_010_000;
        for (var nine = Math.Max(start, 999_010_000); nine <= 999_999_999; nine++)
        {
            var digits = nine.ToString(CultureInfo.InvariantCulture);
            if (NhsNumber.CheckDigit(digits) is { } check)
            {
                yield return digits + (char)('0' + check);
            }
        }
    }
}
