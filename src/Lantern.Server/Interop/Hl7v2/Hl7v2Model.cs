using Lantern.Server.Interop.Hl7v2.Inbound;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2;

internal static class Hl7v2Model
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Outbound.OutboundMessage>(message =>
        {
            message.ToTable("Hl7OutboundMessages");
            message.Property(m => m.Destination).HasMaxLength(64);
            message.Property(m => m.EventType).HasMaxLength(8);
            message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            // A destination's queue: the outbox after the last event it has had; each event once per destination.
            message.HasIndex(m => new { m.Destination, m.OutboxId }).IsUnique();
            message.HasIndex(m => m.SentAt);
            // What waits for a person (refused, held, queued to go again): the monitor's list and the home page's notice.
            message.HasIndex(m => m.Status);
            // The monitor's figures for one destination: what it had over the last day, what it refused or holds, when it joined.
            message.HasIndex(m => new { m.Destination, m.Status, m.SentAt });
        });
        builder.Entity<InboundMessage>(message =>
        {
            message.ToTable("Hl7InboundMessages");
            message.Property(m => m.SendingApplication).HasMaxLength(180);
            message.Property(m => m.SendingFacility).HasMaxLength(180);
            message.Property(m => m.ControlId).HasMaxLength(199);
            message.Property(m => m.MessageType).HasMaxLength(40);
            message.Property(m => m.Peer).HasMaxLength(64);
            message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            message.Property(m => m.Error).HasMaxLength(2000);
            message.Property(m => m.ErrorCode).HasMaxLength(8);
            // What makes a message this message: a resend finds it here and is answered, not applied again. The control
            // id leads: a batch's resend check asks for several ids of one sender at once (ControlId = ANY(...)), and
            // PostgreSQL 15, with statistics from when the inbox was empty, used a list on a later column as a filter
            // over every message of that sender rather than to seek (3-10 ms a batch at 13,000 messages, growing).
            message.HasIndex(m => new { m.ControlId, m.SendingApplication, m.SendingFacility }).IsUnique();
            // The interface monitor: newest first, and what needs attention.
            message.HasIndex(m => m.ReceivedAt);
            message.HasIndex(m => new { m.Status, m.ReceivedAt });
        });
    }
}
