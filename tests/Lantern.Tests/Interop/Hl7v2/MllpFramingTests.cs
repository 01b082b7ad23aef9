using System.Text;
using Lantern.Hl7v2.Mllp;

namespace Lantern.Tests.Interop.Hl7v2;

/// <summary>MLLP framing as senders really send it: several frames at once, noise between them, one split across reads.</summary>
public sealed class MllpFramingTests
{
    /// <summary>A stream that hands out its bytes a few at a time, as a slow network does.</summary>
    private sealed class Trickle(byte[] data, int step) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(step, buffer.Length)], cancellationToken);
    }

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : p is byte b ? [b] : (byte[])p)];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Frames_are_read_whole_whatever_the_reads_and_the_noise_between_them(int step)
    {
        var data = Bytes(MllpFrame.Wrap("MSH|one\r"), "\r\n  ", MllpFrame.Wrap("MSH|two é\r"),
            (byte)0x0B, "MSH|three\r", (byte)0x1C, (byte)0x0B, "MSH|four\r", (byte)0x1C, (byte)0x0D);
        using var reader = new MllpReader(new Trickle(data, step), 1 << 20);
        Assert.Equal("MSH|one\r", await reader.ReadAsync(default));
        Assert.Equal("MSH|two é\r", await reader.ReadAsync(default));
        Assert.Equal("MSH|three\r", await reader.ReadAsync(default)); // 0x1C without its CR
        Assert.Equal("MSH|four\r", await reader.ReadAsync(default));
        Assert.Null(await reader.ReadAsync(default));
    }

    [Fact]
    public async Task A_frame_started_again_before_it_ended_keeps_only_the_new_one()
    {
        using var reader = new MllpReader(new MemoryStream(Bytes((byte)0x0B, "MSH|abandoned", MllpFrame.Wrap("MSH|kept\r"))), 1 << 20);
        Assert.Equal("MSH|kept\r", await reader.ReadAsync(default));
    }

    [Fact]
    public async Task An_oversized_or_cut_off_frame_is_refused()
    {
        using var big = new MllpReader(new MemoryStream(MllpFrame.Wrap(new string('x', 2000))), 1000);
        await Assert.ThrowsAsync<InvalidDataException>(() => big.ReadAsync(default));
        using var cut = new MllpReader(new MemoryStream(Bytes((byte)0x0B, "MSH|half")), 1000);
        await Assert.ThrowsAsync<InvalidDataException>(() => cut.ReadAsync(default));
    }
}
