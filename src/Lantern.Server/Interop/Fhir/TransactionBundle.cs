using System.Text.Json;
using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// A transaction or batch Bundle as sent, read entry by entry. A JSON body stays as its bytes and each entry is
/// parsed when it is needed and dropped after, so a Bundle of 100,000 entries is never 100,000 parsed resources
/// at once (parsed, checked and annotated, a resource takes some forty times its JSON). An XML body is parsed
/// whole: the SDK's XML reader has no way in to one entry.
/// </summary>
public sealed class TransactionBundle
{
    private static readonly byte[] EntryOpen = """{"resourceType":"Bundle","type":"transaction","entry":["""u8.ToArray();
    private static readonly byte[] EntryClose = "]}"u8.ToArray();

    private readonly byte[]? body;
    private readonly List<(int Start, int Length)>? ranges;
    private readonly List<Bundle.EntryComponent>? parsed;

    private TransactionBundle(Bundle header, byte[] body, List<(int, int)> ranges) => (Header, this.body, this.ranges) = (header, body, ranges);

    private TransactionBundle(Bundle bundle)
    {
        parsed = bundle.Entry;
        Header = WithoutEntries(bundle);
    }

    /// <summary>A new Bundle with the same elements of its own (type, id, links…) and no entries.</summary>
    public static Bundle WithoutEntries(Bundle bundle) =>
        new() { Id = bundle.Id, Meta = bundle.Meta, Identifier = bundle.Identifier, Type = bundle.Type, Timestamp = bundle.Timestamp, Total = bundle.Total, Link = bundle.Link, Signature = bundle.Signature };

    /// <summary>The Bundle's own elements (type, id, links…), without its entries.</summary>
    public Bundle Header { get; }

    public int Count => ranges?.Count ?? parsed!.Count;

    /// <summary>A Bundle already parsed whole.</summary>
    public static TransactionBundle Of(Bundle bundle) => new(bundle);

    /// <summary>
    /// The body as a Bundle to read entry by entry, or why it is not one (what the strict parser says of it). Only the
    /// Bundle's own elements are parsed here; an entry that does not parse is found by <see cref="TryEntry"/>.
    /// </summary>
    public static (TransactionBundle? Bundle, IReadOnlyList<OperationOutcome.IssueComponent> Issues) Parse(byte[] body, string? contentType)
    {
        if (contentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) != true && Split(body) is var (header, entries))
        {
            var (parsedHeader, issues) = FhirFormat.Parse(header, contentType);
            return parsedHeader switch
            {
                Bundle bundle => (new TransactionBundle(bundle, body, entries), []),
                null => (null, issues),
                _ => (null, [NotABundle(parsedHeader)]),
            };
        }
        var (whole, problems) = FhirFormat.Parse(body, contentType);
        return whole switch
        {
            Bundle bundle => (Of(bundle), []),
            null => (null, problems),
            _ => (null, [NotABundle(whole)]),
        };
    }

    /// <summary>Entry <paramref name="index"/>, freshly parsed from the body (or the one parsed whole); otherwise why it does not parse.</summary>
    public (Bundle.EntryComponent? Entry, IReadOnlyList<OperationOutcome.IssueComponent> Issues) TryEntry(int index)
    {
        if (parsed is not null)
        {
            return (parsed[index], []);
        }
        var (start, length) = ranges![index];
        // The entry alone, in a Bundle of one, so that the strict parser reads it as it would inside the whole.
        var single = new byte[EntryOpen.Length + length + EntryClose.Length];
        EntryOpen.CopyTo(single, 0);
        body.AsSpan(start, length).CopyTo(single.AsSpan(EntryOpen.Length));
        EntryClose.CopyTo(single, EntryOpen.Length + length);
        var (resource, issues) = FhirFormat.Parse(single, FhirFormat.JsonType);
        if (resource is Bundle { Entry: [var entry] })
        {
            return (entry, []);
        }
        foreach (var issue in issues)
        {
            // Located in the Bundle as sent, not in the Bundle of one.
            issue.Expression = issue.Expression.Select(e => e?.Replace("Bundle.entry[0]", $"Bundle.entry[{index}]", StringComparison.Ordinal)).ToList();
            issue.Diagnostics = issue.Diagnostics?.Replace("Bundle.entry[0]", $"Bundle.entry[{index}]", StringComparison.Ordinal);
        }
        return (null, issues.Count > 0 ? issues : [FhirFormat.Issue(OperationOutcome.IssueType.Structure, "An entry must be a JSON object", $"Bundle.entry[{index}]")]);
    }

    /// <summary>An entry already known to parse (the checks read every entry first).</summary>
    public Bundle.EntryComponent Entry(int index) =>
        TryEntry(index).Entry ?? throw new InvalidOperationException($"Bundle.entry[{index}] does not parse");

    /// <summary>
    /// A JSON object with an "entry" array, split into the object without it and each element's place in the body;
    /// null when it is anything else (the strict parser then reads it whole and says what is wrong).
    /// </summary>
    private static (byte[] Header, List<(int, int)> Entries)? Split(byte[] body)
    {
        var offset = body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(body.AsSpan(offset));
        var others = new List<(int Start, int Length)>();
        List<(int, int)>? entries = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var isEntry = entries is null && reader.ValueTextEquals("entry"u8);
                reader.Read();
                if (isEntry && reader.TokenType == JsonTokenType.StartArray)
                {
                    entries = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var at = (int)reader.TokenStartIndex;
                        reader.Skip();
                        entries.Add((offset + at, (int)reader.BytesConsumed - at));
                    }
                    continue;
                }
                reader.Skip();
                others.Add((start, (int)reader.BytesConsumed - start));
            }
            if (entries is null || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        var header = new MemoryStream();
        header.WriteByte((byte)'{');
        for (var i = 0; i < others.Count; i++)
        {
            if (i > 0)
            {
                header.WriteByte((byte)',');
            }
            header.Write(body, offset + others[i].Start, others[i].Length);
        }
        header.WriteByte((byte)'}');
        return (header.ToArray(), entries);
    }

    private static OperationOutcome.IssueComponent NotABundle(Resource resource) =>
        FhirFormat.Issue(OperationOutcome.IssueType.Invalid, $"Expected a Bundle resource, got {resource.TypeName}", "resourceType");
}
