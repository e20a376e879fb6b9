'use strict';
/* Django admin's autocomplete widgets (select2) and tabular inlines, as a screen reader needs
   them: select2 names its box by the chosen value (nothing when empty), gives its search field
   and a single choice's read-only text no name at all and puts a bare "×" span among the list
   items of a multiple choice; an inline table has an empty first header and unnamed delete
   boxes. Each gets the name of the field it stands for, whenever select2 draws or redraws (a
   MutationObserver: select2 is set up by jQuery's ready handlers, redraws on every change, and
   inline rows are added later). */
(function () {
  function fieldName(select) {
    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    const text = label ? label.textContent : (select.getAttribute('aria-label') || '');
    return text.replace(/[:：]\s*$/, '').trim();
  }

  function mend() {
    document.querySelectorAll('span.select2-container').forEach(function (container) {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== 'SELECT') {
        return;
      }
      const name = fieldName(select);
      if (!name) {
        return;
      }
      container.querySelectorAll('.select2-selection[role="combobox"]').forEach(function (box) {
        box.removeAttribute('aria-labelledby');
        box.setAttribute('aria-label', name);
      });
      container.querySelectorAll('.select2-search__field, .select2-selection__rendered[role="textbox"]').forEach(function (field) {
        field.setAttribute('aria-label', name);
      });
      container.querySelectorAll('ul.select2-selection__rendered > .select2-selection__clear').forEach(function (clear) {
        clear.setAttribute('role', 'listitem');
        clear.setAttribute('aria-label', '全部移除');
      });
    });
    document.querySelectorAll('th.original:empty').forEach(function (th) {
      th.innerHTML = '<span class="visually-hidden">已有记录</span>';
    });
    document.querySelectorAll('td.delete input[type="checkbox"]:not([aria-label])').forEach(function (box) {
      box.setAttribute('aria-label', '删除');
    });
  }

  let pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      setTimeout(function () { pending = false; mend(); });
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    mend();
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
  });
})();
