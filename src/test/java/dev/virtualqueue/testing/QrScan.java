package dev.virtualqueue.testing;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads a QR code from a {@code data:image/png;base64,...} URI, as a phone's camera app would (ZXing). */
public final class QrScan {
  private QrScan() {
  }

  /** The text of the QR code in the PNG data URI. */
  public static String text(String dataUri) {
    if (dataUri == null || !dataUri.startsWith("data:image/png;base64,")) {
      throw new IllegalArgumentException("not a PNG data URI: " + dataUri);
    }
    byte[] png = Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1));
    try {
      var image = ImageIO.read(new ByteArrayInputStream(png));
      if (image == null) {
        throw NotFoundException.getNotFoundInstance();
      }
      BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
      return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    } catch (IOException | ReaderException e) {
      throw new IllegalStateException("no readable QR code in the image", e);
    }
  }
}
