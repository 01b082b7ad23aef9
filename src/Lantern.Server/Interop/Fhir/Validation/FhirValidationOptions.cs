namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>How strict validation of incoming resources is; configured under <c>Fhir:Validation</c>.</summary>
public sealed class FhirValidationOptions
{
    public const string Section = "Fhir:Validation";

    /// <summary>
    /// URL prefixes of extensions Lantern has no definition for but accepts (a warning, not an error), as a partner
    /// system's own extensions. Any other unknown extension is refused: it may carry meaning Lantern would lose.
    /// </summary>
    public List<string> AllowedExtensionDomains { get; init; } = [];

    /// <summary>Refuse markdown holding raw HTML tags (otherwise a warning: Lantern shows markdown escaped).</summary>
    public bool HtmlInMarkdownIsError { get; init; }

    /// <summary>
    /// Compile the UK Core Patient profile in the background at start (the default), so that the first FHIR create
    /// does not wait for it. An instance that takes no FHIR writes (an interface engine node) may turn it off to save
    /// the CPU it costs at each start.
    /// </summary>
    public bool WarmUpAtStart { get; init; } = true;
}
