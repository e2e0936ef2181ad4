// The member picker: adds @[Full Name] to the message at the cursor.
document.querySelectorAll(".msknet-mention-picker").forEach((picker) => {
  const target = document.getElementById(picker.dataset.target);
  const select = picker.querySelector("select");
  const button = picker.querySelector(".msknet-mention-insert");
  if (!target || !select || !button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    if (!select.value) return;
    const mention = `@[${select.value}] `;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    target.value = target.value.slice(0, start) + mention + target.value.slice(end);
    target.focus();
    target.setSelectionRange(start + mention.length, start + mention.length);
    select.value = "";
  });
});
