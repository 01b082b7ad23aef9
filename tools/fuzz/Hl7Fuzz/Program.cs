using System.Text;
using Lantern.Hl7v2.Er7;
using Lantern.Hl7v2.Mllp;
using SharpFuzz;

// One input per run, from AFL++: read as MLLP frames and as ER7 text. An Er7Exception or InvalidDataException is
// the clean refusal Lantern answers with AR; anything else (or a hang) is a finding. A message that parses must
// write back to text that parses to the same text (the round trip Lantern's monitor and replay rely on).
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    var bytes = copy.ToArray();
    using (var reader = new MllpReader(new MemoryStream(bytes), 1 << 16))
    {
        try
        {
            while (reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult() is not null)
            {
            }
        }
        catch (InvalidDataException)
        {
        }
    }
    var text = Encoding.UTF8.GetString(bytes);
    try
    {
        foreach (var one in Er7Parser.SplitBatch(text))
        {
            var written = Er7Parser.Parse(one).ToEr7();
            if (Er7Parser.Parse(written).ToEr7() != written)
            {
                throw new InvalidOperationException("Round trip changed the message");
            }
            foreach (var segment in Er7Parser.Parse(written).Segments)
            {
                for (var f = 1; f <= segment.FieldCount; f++)
                {
                    _ = segment.Field(f).Repetitions.Select(r => r.Component(2).Sub(2).Text).ToList();
                }
            }
        }
    }
    catch (Er7Exception)
    {
    }
});
