using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lantern.Server.Audit;

/// <summary>The hash chain over audit entries: SHA-256 of the previous hash and a length-prefixed encoding of every field.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>Numbers and hashes <paramref name="entries"/> in order after the entry (<paramref name="sequence"/>, <paramref name="previous"/>).</summary>
    public static void Link(IEnumerable<AuditEntry> entries, long sequence, byte[] previous)
    {
        foreach (var entry in entries)
        {
            entry.Sequence = ++sequence;
            entry.Hash = HashOf(previous, entry);
            previous = entry.Hash;
        }
    }

    public static byte[] HashOf(byte[] previous, AuditEntry entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, entry.Sequence);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, entry.AtUnixMs);
        sha.AppendData(number);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in new[]
                 {
                     entry.UserName, entry.Role, entry.Action.ToString(), entry.RecordType, entry.RecordId,
                     entry.PatientId?.ToString("N"), entry.ClientAddress, entry.UserAgent, entry.Reason, entry.Outcome.ToString(),
                 })
        {
            // Length-prefixed (-1 for none) so that no two different entries encode alike.
            var bytes = field is null ? null : Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes?.Length ?? -1);
            sha.AppendData(length);
            if (bytes is not null)
            {
                sha.AppendData(bytes);
            }
        }
        return sha.GetHashAndReset();
    }
}
