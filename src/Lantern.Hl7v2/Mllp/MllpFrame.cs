using System.Text;

namespace Lantern.Hl7v2.Mllp;

/// <summary>MLLP framing: <c>0x0B</c>, the message, <c>0x1C 0x0D</c>.</summary>
public static class MllpFrame
{
    public const byte Start = 0x0B, End = 0x1C, Return = 0x0D;

    /// <summary>HL7 v2 text is 8-bit; UTF-8 is what Lantern sends and expects (ASCII is a subset).</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(false);

    public static byte[] Wrap(string message)
    {
        var frame = new byte[Encoding.GetByteCount(message) + 3];
        frame[0] = Start;
        Encoding.GetBytes(message, 0, message.Length, frame, 1);
        frame[^2] = End;
        frame[^1] = Return;
        return frame;
    }
}

/// <summary>
/// Reads MLLP frames from a connection, buffered. Bytes between frames are ignored (keep-alive noise); a frame that
/// grows past the limit is refused, so a sender cannot make Lantern hold unbounded data.
/// </summary>
public sealed class MllpReader(Stream stream, int maxBytes) : IDisposable
{
    private readonly byte[] buffer = new byte[64 << 10];
    private readonly MemoryStream message = new();
    private int position;
    private int length;

    public void Dispose() => message.Dispose();

    /// <summary>
    /// The next message's text, or null when the peer closed the connection between frames. Throws
    /// <see cref="InvalidDataException"/> for a frame over the limit or cut short by the peer closing.
    /// </summary>
    public async Task<string?> ReadAsync(CancellationToken cancel)
    {
        message.SetLength(0);
        var inFrame = false;
        while (true)
        {
            if (position == length)
            {
                position = 0;
                length = await stream.ReadAsync(buffer, cancel);
                if (length == 0)
                {
                    return inFrame ? throw new InvalidDataException("The connection closed in the middle of a message") : null;
                }
            }
            var available = buffer.AsSpan(position, length - position);
            if (!inFrame)
            {
                var start = available.IndexOf(MllpFrame.Start);
                position = start < 0 ? length : position + start + 1;
                inFrame = start >= 0;
                continue;
            }
            var end = available.IndexOf(MllpFrame.End);
            var chunk = end < 0 ? available : available[..end];
            if (chunk.IndexOf(MllpFrame.Start) is var restart and >= 0)
            {
                // A new frame before this one ended: the sender gave up on the last; start again.
                message.SetLength(0);
                position += restart + 1;
                continue;
            }
            if (message.Length + chunk.Length > maxBytes)
            {
                throw new InvalidDataException($"A message over {maxBytes:N0} bytes: refused");
            }
            message.Write(chunk);
            position += chunk.Length;
            if (end >= 0)
            {
                // Past the 0x1C. The CR after it is not waited for (a sender that leaves it out would wait for its ACK
                // for ever): it is skipped with the other bytes between frames on the next read.
                position++;
                return MllpFrame.Encoding.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
