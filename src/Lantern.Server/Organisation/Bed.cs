namespace Lantern.Server.Organisation;

/// <summary>A bed space on a ward, in a bay or a side room.</summary>
public sealed class Bed
{
    public int Id { get; private set; }
    public int WardId { get; private set; }
    public int? BayId { get; private set; }
    public Bay? Bay { get; private set; }
    public string Label { get; private set; }
    public BedStatus Status { get; private set; } = BedStatus.Available;

    private Bed(string label)
    {
        Label = label;
    }

    public Bed(string label, Bay? bay)
    {
        Label = label;
        Bay = bay;
    }

    /// <summary>A patient takes the bed.</summary>
    public void Occupy()
    {
        if (Status != BedStatus.Available)
        {
            throw new InvalidOperationException($"Bed {Label} is {Status} and cannot take a patient.");
        }
        Status = BedStatus.Occupied;
    }

    /// <summary>The patient has left: the bed needs cleaning before the next one.</summary>
    public void Vacate()
    {
        if (Status != BedStatus.Occupied)
        {
            throw new InvalidOperationException($"Bed {Label} is {Status}, not occupied.");
        }
        Status = BedStatus.Cleaning;
    }

    /// <summary>Housekeeping has cleaned the bed: it can take a patient.</summary>
    public void MarkClean()
    {
        if (Status != BedStatus.Cleaning)
        {
            throw new InvalidOperationException($"Bed {Label} is {Status}, not waiting for cleaning.");
        }
        Status = BedStatus.Available;
    }

    /// <summary>An empty bed found to need cleaning before the next patient.</summary>
    public void NeedsCleaning()
    {
        if (Status != BedStatus.Available)
        {
            throw new InvalidOperationException($"Bed {Label} is {Status}, not available.");
        }
        Status = BedStatus.Cleaning;
    }

    /// <summary>A closed bed is back in use.</summary>
    public void Reopen()
    {
        if (Status != BedStatus.Closed)
        {
            throw new InvalidOperationException($"Bed {Label} is {Status}, not closed.");
        }
        Status = BedStatus.Available;
    }

    /// <summary>Whether a correction may put a patient back in this bed: nobody else is in it and it is in use.</summary>
    public bool CanBeReoccupied => Status is BedStatus.Available or BedStatus.Cleaning;

    /// <summary>Puts the bed back as it was before a change that is being undone.</summary>
    public void RestoreTo(BedStatus status) => Status = status;

    /// <summary>Takes an empty bed out of use (maintenance, infection control).</summary>
    public void Close()
    {
        if (Status == BedStatus.Occupied)
        {
            throw new InvalidOperationException($"Bed {Label} is occupied and cannot be closed.");
        }
        Status = BedStatus.Closed;
    }
}
