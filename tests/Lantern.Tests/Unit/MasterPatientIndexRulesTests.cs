using System.Text.Json;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;

namespace Lantern.Tests.Unit;

/// <summary>The published NHS number vectors, name keys and Soundex, postcodes and demographic validation.</summary>
public sealed class MasterPatientIndexRulesTests
{
    public sealed record Vector(string Input, string Kind, string Expected, string Note, string Source_repo);

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<Vector> Vectors { get; } = JsonSerializer.Deserialize<List<Vector>>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Patients", "TestData", "nhs-number-vectors", "nhs-number-vectors.json")), SnakeCase)!;

    [Fact]
    public void Every_checksum_vector_gets_its_published_verdict()
    {
        var checksum = Vectors.Where(v => v.Kind == "checksum").ToList();
        Assert.True(checksum.Count >= 30, $"only {checksum.Count} checksum vectors loaded");
        foreach (var v in checksum)
        {
            var digits = NhsNumber.Normalise(v.Input);
            Assert.True((v.Expected == "valid") == NhsNumber.IsValid(digits), $"{JsonSerializer.Serialize(v.Input)} should be {v.Expected} ({v.Note})");
        }
    }

    [Fact]
    public void Input_shapes_follow_the_lenient_policy_and_display_is_3_3_4()
    {
        // Lantern reads typed text as uk-fci does for strings (trim; 10 digits or 3-3-4 with one kind of separator).
        // Its rows for integer inputs describe a Python API, not typed text, and are left out.
        var lenient = Vectors.Where(v => v.Kind == "format:uk-fci standardise_format" && !v.Note.Contains("nteger", StringComparison.OrdinalIgnoreCase)
            && !v.Note.StartsWith("INTEGER", StringComparison.Ordinal)).ToList();
        Assert.True(lenient.Count >= 15);
        foreach (var v in lenient)
        {
            var expected = v.Expected.StartsWith("(rejected", StringComparison.Ordinal) ? null : v.Expected;
            Assert.True(expected == NhsNumber.Normalise(v.Input), $"{JsonSerializer.Serialize(v.Input)}: expected {v.Expected}, got {NhsNumber.Normalise(v.Input)}");
        }
        foreach (var v in Vectors.Where(v => v.Kind.StartsWith("format:strict", StringComparison.Ordinal)))
        {
            Assert.NotNull(NhsNumber.Normalise(v.Input));
        }
        foreach (var v in Vectors.Where(v => v.Kind == "format:display"))
        {
            Assert.Equal(v.Expected, NhsNumber.Format(v.Input));
        }
    }

    [Theory]
    [InlineData("Smith", "S530")]
    [InlineData("Smyth", "S530")]
    [InlineData("Smythe", "S530")]
    [InlineData("MacDonald", "M235")]
    [InlineData("Mcdonald", "M235")]
    [InlineData("Robert", "R163")]
    [InlineData("Rupert", "R163")]
    [InlineData("Ashcraft", "A261")] // H does not separate S and C
    [InlineData("Tymczak", "T522")]
    [InlineData("Pfister", "P236")] // first letter's own code is not repeated
    [InlineData("Lee", "L000")]
    [InlineData("O'Brien", "O165")]
    public void Soundex_groups_names_that_sound_alike(string name, string code) => Assert.Equal(code, NameKeys.Soundex(name));

    [Theory]
    [InlineData("O'Brien", "OBRIEN")]
    [InlineData("  smith-jones ", "SMITHJONES")]
    [InlineData("Wiśniewski", "WISNIEWSKI")]
    [InlineData("Müller", "MULLER")]
    [InlineData("da Silva", "DASILVA")]
    public void Name_keys_fold_case_accents_and_punctuation(string name, string key) => Assert.Equal(key, NameKeys.Key(name));

    [Theory]
    [InlineData("sw1a1aa", "SW1A 1AA")]
    [InlineData("EC1A 1BB", "EC1A 1BB")]
    [InlineData("w1a 0ax", "W1A 0AX")]
    [InlineData("M1 1AE", "M1 1AE")]
    [InlineData("B33 8TH", "B33 8TH")]
    [InlineData("CR2 6XH", "CR2 6XH")]
    [InlineData("DN55 1PT", "DN55 1PT")]
    [InlineData(" ls1  4ap ", "LS1 4AP")]
    [InlineData("GIR 0AA", "GIR 0AA")]
    [InlineData("QA1 1AA", null)] // Q never starts a postcode
    [InlineData("SW1A 1CA", null)] // C is not used in the inward code
    [InlineData("SW1A", null)]
    [InlineData("12345", null)]
    [InlineData("LS1 4APX", null)]
    public void Postcodes_are_checked_and_made_canonical(string input, string? canonical) => Assert.Equal(canonical, Postcode.Normalise(input));

    private static readonly DateOnly Today = new(2026, 11, 25);

    private static PatientDetails Valid => new()
    {
        FamilyName = "Smith", GivenName = "John", BirthDate = "1956-03-12", Gender = "male", Postcode = "LS1 4AP", NhsNumber = "943 476 5919",
    };

    [Fact]
    public void Valid_details_become_demographics_with_canonical_forms_and_default_status()
    {
        var (d, errors) = Valid.Validate(Today);
        Assert.Empty(errors);
        Assert.Equal(("9434765919", NhsNumberStatus.NotTraced, "LS1 4AP"), (d!.NhsNumber, d.NhsNumberStatus, d.Postcode));
        Assert.Equal(NhsNumberStatus.TraceRequired, (Valid with { NhsNumber = null }).Validate(Today).Demographics!.NhsNumberStatus);
    }

    [Theory]
    [InlineData("FamilyName", "")]
    [InlineData("GivenName", " ")]
    [InlineData("BirthDate", "2026-11-26")] // tomorrow
    [InlineData("BirthDate", "1956-02-30")]
    [InlineData("Gender", "woman")]
    [InlineData("NhsNumber", "943 476 5918")]
    [InlineData("NhsNumber", "94347659")]
    [InlineData("NhsNumberStatus", "09")]
    [InlineData("Postcode", "LS1")]
    [InlineData("Email", "john@")]
    [InlineData("Phone", "call me")]
    [InlineData("GpPracticeCode", "81001")]
    [InlineData("EthnicCategory", "Q")]
    [InlineData("DateOfDeath", "1950-01-01")] // before birth
    public void Each_bad_field_is_named(string field, string value)
    {
        var details = field switch
        {
            "FamilyName" => Valid with { FamilyName = value },
            "GivenName" => Valid with { GivenName = value },
            "BirthDate" => Valid with { BirthDate = value },
            "Gender" => Valid with { Gender = value },
            "NhsNumber" => Valid with { NhsNumber = value },
            "NhsNumberStatus" => Valid with { NhsNumberStatus = value },
            "Postcode" => Valid with { Postcode = value },
            "Email" => Valid with { Email = value },
            "Phone" => Valid with { Phone = value },
            "GpPracticeCode" => Valid with { GpPracticeCode = value },
            "EthnicCategory" => Valid with { EthnicCategory = value },
            "DateOfDeath" => Valid with { DateOfDeath = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        var (d, errors) = details.Validate(Today);
        Assert.Null(d);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void Verification_status_must_agree_with_whether_there_is_a_number()
    {
        Assert.Equal("NhsNumberStatus", Assert.Single((Valid with { NhsNumber = null, NhsNumberStatus = "01" }).Validate(Today).Errors).Field);
        Assert.Equal("NhsNumberStatus", Assert.Single((Valid with { NhsNumberStatus = "07" }).Validate(Today).Errors).Field);
        Assert.Empty((Valid with { NhsNumber = null, NhsNumberStatus = "08" }).Validate(Today).Errors);
    }

    [Fact]
    public void A_near_twin_scores_as_a_possible_duplicate_and_a_stranger_does_not()
    {
        var john = Valid.Validate(Today).Demographics! with { NhsNumber = null };
        var smith = new Lantern.Server.Patients.Search.PatientSummary(Guid.NewGuid(), "Smith", "John", "Mr", new(1956, 3, 12), Gender.Male,
            null, "RZZ1", "LS1 4AP", null, false, "SMITH", "JOHN");
        Assert.True(DuplicateCheck.Score(john with { FamilyName = "Smyth", GivenName = "Jon" }, smith).Score >= DuplicateCheck.ShowScore);
        Assert.True(DuplicateCheck.Score(john, smith).Likely);
        Assert.True(DuplicateCheck.Score(john with { FamilyName = "Patel", GivenName = "Ravi", Postcode = "BD1 1AA" }, smith).Score < DuplicateCheck.ShowScore);
    }
}
