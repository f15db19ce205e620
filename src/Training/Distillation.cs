using Ose.Models;

namespace Ose.Training;

/// <summary>
/// Knowledge distillation from a teacher on the masked positions (Bort's pretraining loss):
/// α·CE(student, labels) + β·T²·KL(teacher_T ‖ student_T), with softmax at temperature T. Bort: α 0.1, β 0.5, T 2.
/// </summary>
public sealed record Distillation(BertForMaskedLM Teacher, double Alpha = 0.1, double Beta = 0.5, double Temperature = 2);
